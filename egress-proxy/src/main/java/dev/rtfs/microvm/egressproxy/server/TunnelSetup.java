package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.egresspolicy.decision.Decision;
import dev.rtfs.microvm.egresspolicy.decision.DomainMatcher;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egresspolicy.decision.PolicyEngine;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.decision.RequestTarget;
import dev.rtfs.microvm.egresspolicy.decision.TargetParser;
import dev.rtfs.microvm.egressproxy.identity.ListenerIdentity;
import dev.rtfs.microvm.egressproxy.tls.ClientHelloParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A CONNECT after its 200: collects the ClientHello (bounded by the parser), checks its server names against the
 * decided host ({@link ClientHelloCheck}), decides again if the agent's rules were swapped meanwhile, dials the
 * pinned address and hands both connections to a {@link Tunnel}; or, when the rules say {@code "tls": "intercept"}
 * (and the host is not in {@code tls_passthrough}), terminates the TLS here and decides each request inside it. No HTTP answer is possible any more, so a refusal
 * is a record and a close (after a TLS alert where the client speaks TLS).
 */
final class TunnelSetup {

    /** TLS fatal alert unrecognized_name(112): tells a TLS client why its tunnel closes. */
    private static final byte[] TLS_ALERT_UNRECOGNIZED_NAME = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x70};

    /** What the setup needs from the connection it serves. */
    interface Owner {

        /** Report mode and a reportable reason: notes it and lets the tunnel go on (true). */
        boolean reportInstead(Reason reason, String detail);

        void record(Outcome outcome, Reason reason, int status, String detail);

        /** The rules the tunnel now runs under (its record names their step). */
        void rulesNow(EffectiveRules rules);

        /** The ClientHello is complete: stop reading and the hello deadline while the setup decides. */
        void helloComplete();

        void enterClosing();

        void enterTunnel();

        /** Gives up the client connection: the bytes read after the ClientHello, in order. */
        List<ByteBuf> handOver();
    }

    private final ProxyContext px;
    private final String agentId;
    private final Channel client;
    private final Owner owner;
    private final Decision decision;
    private final TargetParser.Parsed target;
    private final List<InetAddress> answers;
    private final RequestLedger ledger;
    private EffectiveRules rules;
    private ByteBuf hello;

    TunnelSetup(ProxyContext px, String agentId, Channel client, Owner owner, Decision decision,
            TargetParser.Parsed target, EffectiveRules rules, List<InetAddress> answers, RequestLedger ledger) {
        this.px = px;
        this.agentId = agentId;
        this.client = client;
        this.owner = owner;
        this.decision = decision;
        this.target = target;
        this.rules = rules;
        this.answers = answers;
        this.ledger = ledger;
        this.hello = client.alloc().buffer(1024);
    }

    void onHello(ByteBuf b) {
        // Bounded: the parser answers NotTls past MAX_HELLO, so at most one more read is ever appended.
        hello.writeBytes(b);
        b.release();
        byte[] bytes = new byte[hello.readableBytes()];
        hello.getBytes(hello.readerIndex(), bytes);
        ClientHelloParser.Result r = ClientHelloParser.parse(bytes, bytes.length);
        if (r instanceof ClientHelloParser.NeedMore) {
            return;
        }
        owner.helloComplete();
        ClientHelloCheck check = ClientHelloCheck.of(r, decision.host());
        for (Refusal f : check.refusals()) {
            if (refuseTls(f.reason(), f.detail())) {
                return;
            }
        }
        if (!check.tls()) {
            return;
        }
        if (rulesChangedSinceDecision()) {
            return;
        }
        TlsRules tls = rules.tls();
        if (tls.mode() == TlsMode.INTERCEPT && !new DomainMatcher(tls.passthrough()).matches(decision.host())) {
            if (!(r instanceof ClientHelloParser.Sni)) {
                // Report mode may have let a missing SNI through; no leaf is ever minted without one.
                close(Reason.SNI_MISSING, "interception needs the SNI of the CONNECT host",
                        Unpooled.wrappedBuffer(TLS_ALERT_UNRECOGNIZED_NAME));
                return;
            }
            intercept();
            return;
        }
        open();
    }

    /**
     * Terminates the guest's TLS here with a leaf for the decided host (the SNI passed the checks above), then runs
     * the decrypted stream through the plain-HTTP pipeline ({@link AgentChannelInitializer#installHttp}) with the
     * origin fixed to this CONNECT's host and port: every request is decided, DLP-checked and recorded on its own.
     * The CONNECT's own record says the tunnel was intercepted.
     */
    private void intercept() {
        SslContext leaf;
        try {
            leaf = px.interceptionCa().serverContext(decision.host());
        } catch (IllegalStateException e) {
            close(Reason.UPSTREAM_ERROR, "no interception certificate: " + e.getMessage(), null);
            return;
        }
        owner.record(ledger.outcomeNow(), ledger.allowReasonNow(), 200,
                "intercepted; each decrypted request is recorded on its own");
        List<ByteBuf> early = owner.handOver();
        ByteBuf first = hello;
        hello = null;
        ChannelPipeline p = client.pipeline();
        SslHandler tls = leaf.newHandler(client.alloc());
        // The guest's handshake gets the header timeout: a client that never finishes it is closed and recorded
        // (FrontendHandler, client-tls); the first decrypted head's own deadline starts when it completes.
        tls.setHandshakeTimeoutMillis(px.config().headerTimeout().toMillis());
        p.addLast(tls);
        AgentChannelInitializer.installHttp(client, px,
                new FrontendHandler(px, new ListenerIdentity(agentId), Optional.of(new InterceptedOrigin(decision.host(), target.port()))));
        p.fireChannelRead(first);
        early.forEach(p::fireChannelRead);
        p.fireChannelReadComplete();
        client.config().setAutoRead(true);
    }

    /**
     * The tunnel was decided when its head arrived; if the agent's rules were swapped before the ClientHello (a step
     * ended), decide again under the rules in force now, on the addresses of the one lookup already made. True when
     * the tunnel was refused.
     */
    private boolean rulesChangedSinceDecision() {
        Optional<EffectiveRules> now = px.store().rules(agentId);
        if (now.equals(Optional.of(rules))) {
            return false;
        }
        Decision d;
        if (now.isEmpty()) {
            d = Decision.deny(Reason.NO_ACL, decision.host(), "no ACL for agent " + agentId);
        } else {
            rules = now.get();
            owner.rulesNow(rules);
            List<InetAddress> pinnedAnswers = answers;
            d = PolicyEngine.decide(rules, RequestTarget.connect(target.rawHost(), target.port()), px.mode().get(),
                    host -> pinnedAnswers);
        }
        if (d.outcome() == Outcome.DENY) {
            close(d.reason(), "rules changed before the ClientHello: " + d.detail(), null);
            return true;
        }
        if (d.outcome() == Outcome.REPORT) {
            ledger.noteReported(d.reason(), d.detail());
        }
        return false;
    }

    private boolean refuseTls(Reason reason, String detail) {
        if (owner.reportInstead(reason, detail)) {
            return false;
        }
        close(reason, detail, Unpooled.wrappedBuffer(TLS_ALERT_UNRECOGNIZED_NAME));
        return true;
    }

    /** Refuses the tunnel: the record, then a close after {@code farewell} (null: none). */
    void close(Reason reason, String detail, ByteBuf farewell) {
        owner.record(Outcome.DENY, reason, 0, detail);
        owner.enterClosing();
        release();
        if (farewell == null) {
            client.close();
        } else {
            client.writeAndFlush(farewell).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void open() {
        InetSocketAddress pinned = new InetSocketAddress(decision.pinned().orElseThrow(), target.port());
        Channel me = client;
        px.connector().connect(pinned, client.eventLoop(), new ChannelInboundHandlerAdapter()).addListener(f -> {
            if (!f.isSuccess()) {
                close(Reason.CONNECT_FAILED, "dial " + pinned + ": " + f.cause(), null);
                return;
            }
            Channel up = (Channel) f.getNow();
            if (!me.isActive()) {
                release();
                up.close();
                return;
            }
            owner.enterTunnel();
            px.metrics().tunnelOpened();
            Tunnel tunnel = new Tunnel(me, up, rules.maxRequestBytes(), rules.maxResponseBytes(),
                    px.config().idleTimeout(), this::onEnd);
            List<ByteBuf> early = owner.handOver();
            ByteBuf first = hello;
            hello = null;
            tunnel.start(first, early);
        });
    }

    private void onEnd(Tunnel.End end) {
        px.metrics().tunnelClosed();
        ledger.bytes(end.bytesUp(), end.bytesDown());
        if (end.cut().isPresent()) {
            owner.record(Outcome.DENY, end.cut().get().reason(), 0, end.cut().get().detail());
        } else {
            owner.record(ledger.outcomeNow(), ledger.allowReasonNow(), 200, ledger.allowDetailNow());
        }
    }

    /** Frees the ClientHello bytes held; safe to call more than once. */
    void release() {
        if (hello != null) {
            hello.release();
            hello = null;
        }
    }
}
