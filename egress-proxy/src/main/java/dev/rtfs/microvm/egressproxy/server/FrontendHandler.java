package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.decision.Decision;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import dev.rtfs.microvm.egresspolicy.decision.MethodOverride;
import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.decision.RequestTarget;
import dev.rtfs.microvm.egresspolicy.decision.TargetParser;
import dev.rtfs.microvm.egresspolicy.dlp.DlpLimits;
import dev.rtfs.microvm.egresspolicy.dlp.DlpVerdict;
import dev.rtfs.microvm.egresspolicy.dlp.RequestInspector;
import dev.rtfs.microvm.egresspolicy.dlp.RequestParts;
import dev.rtfs.microvm.egressproxy.identity.AgentIdentity;
import dev.rtfs.microvm.egressproxy.identity.Identified;
import dev.rtfs.microvm.egressproxy.identity.ListenerIdentity;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One client connection on an agent's listener or the shared listener. A small state machine: read a request head
 * (under the header timeout), prove its agent ({@link AgentIdentity}: the listener itself, or a token at the shared
 * listener, 407 without one), read a bounded body, decide off the event loop (one DNS lookup), dial the pinned address, stream the
 * response back with backpressure; or, for CONNECT, answer 200, read the ClientHello, check its SNI, dial and
 * splice. Every refusal answers with a status and {@code X-Egress-Denied} and closes; every request ends in
 * exactly one {@link DecisionRecord}.
 *
 * <p>This class owns the connection's state and its transitions; the work of each state lives elsewhere:
 * {@link RequestHeadCheck} and {@link RequestBody} (limits), {@link PolicyDecider} (decision, one lookup),
 * {@link OriginForwarder} (plain HTTP), {@link TunnelSetup} (CONNECT, ClientHello, SNI, hand-over to
 * {@link Tunnel}), {@link RequestLedger} (the record), {@link DenialResponse} and {@link HeadDeadline}.
 *
 * <p>Size: every transition of the one state machine stays here, in one place, so the reader can
 * check that each path ends in exactly one record and one answer; splitting the transitions across classes would
 * spread the {@code state} field the rest of the handlers test.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter
        implements OriginForwarder.Owner, TunnelSetup.Owner {

    static final String DENIED_HEADER = DenialResponse.DENIED_HEADER;

    private enum State { HEAD, BODY, BUSY, RESPONSE, HELLO, TUNNEL, CLOSING }

    private final ProxyContext px;
    private final AgentIdentity identity;
    /** The agent of the request in flight, as {@link #identity} proved it (before any: its placeholder). */
    private String agentId;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final PolicyDecider decider;
    /** Present on the decrypted side of an intercepted tunnel: the one origin its requests go to, over TLS. */
    private final Optional<InterceptedOrigin> intercepted;
    /**
     * Present on one stream of an intercepted h2 connection ({@link InterceptedH2}): the channel carries exactly one
     * request, and origin connections come from the tunnel's pool.
     */
    private final Optional<UpstreamPool> h2Upstreams;

    private ChannelHandlerContext ctx;
    private Channel client;
    private State state = State.HEAD;
    private HeadDeadline deadline;

    // The request in flight.
    private RequestLedger ledger;
    private HttpRequest request;
    private TargetParser.Parsed target;
    private EffectiveRules rules;
    private RequestBody body;
    private boolean clientKeepAlive;
    private Decision decision;

    private OriginForwarder origin;

    // CONNECT, once its 200 went out.
    private TunnelSetup tunnelSetup;

    FrontendHandler(ProxyContext px, AgentIdentity identity) {
        this(px, identity, Optional.empty());
    }

    /**
     * {@code intercepted} present: the handler of an intercepted tunnel's decrypted requests, whose agent the
     * CONNECT already proved ({@link ListenerIdentity}).
     */
    FrontendHandler(ProxyContext px, AgentIdentity identity, Optional<InterceptedOrigin> intercepted) {
        this(px, identity, intercepted, Optional.empty());
    }

    /** The handler of one h2 stream of an intercepted tunnel: one request, origin connections from {@code pool}. */
    static FrontendHandler h2Stream(ProxyContext px, String agentId, InterceptedOrigin origin, UpstreamPool pool) {
        return new FrontendHandler(px, new ListenerIdentity(agentId), Optional.of(origin), Optional.of(pool));
    }

    private FrontendHandler(ProxyContext px, AgentIdentity identity, Optional<InterceptedOrigin> intercepted,
            Optional<UpstreamPool> h2Upstreams) {
        this.px = px;
        this.identity = identity;
        this.agentId = identity.agentBeforeRequest();
        this.intercepted = intercepted;
        this.h2Upstreams = h2Upstreams;
        this.ledger = new RequestLedger(agentId, px.decisions());
        this.decider = new PolicyDecider(px);
    }

    /** Counts raw bytes ahead of the HTTP decoder, so the header timeout knows a slow head from an idle connection. */
    final class RawByteCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (msg instanceof ByteBuf b && deadline != null) {
                deadline.count(b.readableBytes());
            }
            c.fireChannelRead(msg);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.client = ctx.channel();
        this.origin = new OriginForwarder(px, client, this, intercepted, h2Upstreams);
        this.deadline = new HeadDeadline(client.eventLoop(), px.config().headerTimeout(), this::onHeaderTimeout);
        // Intercepted: installed on a live connection (no channelActive will come) behind the guest's TLS handshake,
        // which has its own deadline; the first head's deadline starts when the handshake completes.
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armHeaderTimer();
        ctx.fireChannelActive();
    }

    // ------------------------------------------------------------------ inbound dispatch

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.CLOSING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.BUSY || state == State.RESPONSE || !pending.isEmpty()) {
            // Pipelined input while a request is in flight: keep it for later and pause reading until the response
            // is done. Paused only when such input comes: a pause and resume per request cost two epoll_ctl calls.
            pending.add(msg);
            client.config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        switch (state) {
            case HEAD -> {
                if (msg instanceof HttpRequest req) {
                    onHead(req);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case BODY -> {
                if (msg instanceof HttpContent c) {
                    onBody(c);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case HELLO -> {
                if (msg instanceof ByteBuf b) {
                    tunnelSetup.onHello(b);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            default -> ReferenceCountUtil.release(msg);
        }
    }

    private void drainPending() {
        while (!pending.isEmpty() && (state == State.HEAD || state == State.BODY || state == State.HELLO)) {
            dispatch(pending.poll());
        }
    }

    // ------------------------------------------------------------------ request head

    private void onHead(HttpRequest req) {
        cancelHeaderTimer();
        resetRequest();
        ledger.start(req.method().name());
        request = req;
        Optional<Refusal> bad = RequestHeadCheck.check(req, px.config().maxHeaderSize());
        if (bad.isPresent()) {
            deny(bad.get().reason(), bad.get().detail());
            return;
        }
        boolean isConnect = req.method().equals(HttpMethod.CONNECT);
        TargetParser.Result parsed = intercepted.isPresent() ? intercepted.get().target(req)
                : isConnect ? TargetParser.connect(req.uri()) : TargetParser.absolute(req.uri());
        if (parsed instanceof TargetParser.Parsed p) {
            ledger.target(p.rawHost(), p.port());
        }
        if (!identify(req)) {
            return;
        }
        if (parsed instanceof TargetParser.Rejected r) {
            deny(r.reason(), r.detail());
            return;
        }
        target = (TargetParser.Parsed) parsed;
        Optional<EffectiveRules> found = px.store().rules(agentId);
        if (found.isEmpty()) {
            deny(Reason.NO_ACL, "no ACL for agent " + agentId);
            return;
        }
        rules = found.get();
        if (!rules.tryTakeToken() && refuse(Reason.RATE_LIMITED, "token bucket empty")) {
            return;
        }
        clientKeepAlive = HttpUtil.isKeepAlive(req);
        if (isConnect) {
            state = State.BUSY;
            client.config().setAutoRead(false);
            decideThen(RequestTarget.connect(target.rawHost(), target.port()), this::onConnectDecision);
            return;
        }
        if (HttpUtil.isContentLengthSet(req) && HttpUtil.getContentLength(req, 0L) > rules.maxRequestBytes()) {
            deny(Reason.REQUEST_TOO_LARGE, "Content-Length " + HttpUtil.getContentLength(req, 0L) + " > "
                    + rules.maxRequestBytes());
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            req.headers().remove(HttpHeaderNames.EXPECT);
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = new RequestBody(client.alloc(), px.bodyBudget());
        state = State.BODY;
        // The body gets the same deadline as a head: a trickling upload cannot hold the connection.
        deadline.rearmKeepingCount();
    }

    /**
     * Proves the request's agent before its first decision; a token leaves the head here, so it is never forwarded,
     * scanned into a record or logged. False when refused (407, the client has its answer).
     */
    private boolean identify(HttpRequest req) {
        Identified who = identity.identify(req.headers().getAll(HttpHeaderNames.PROXY_AUTHORIZATION));
        if (identity.consumesProxyAuthorization()) {
            req.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        }
        switch (who) {
            case Identified.Agent a -> {
                agentId = a.agentId();
                ledger.agent(agentId);
                return true;
            }
            case Identified.Refused r -> {
                px.metrics().authFailed(r.cause().code());
                deny(Reason.PROXY_AUTH, r.cause().code() + ": " + r.detail());
                return false;
            }
        }
    }

    private void onBody(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            // A bad chunk ends the decoder's body with a failed last part: refuse rather than forward a truncation.
            c.release();
            deny(Reason.BAD_REQUEST, "malformed request body: " + c.decoderResult().cause().getMessage());
            return;
        }
        Optional<Refusal> over = body.append(c.content(), rules.maxRequestBytes());
        if (over.isPresent()) {
            c.release();
            deny(over.get().reason(), over.get().detail());
            return;
        }
        boolean last = c instanceof LastHttpContent;
        c.release();
        if (last) {
            cancelHeaderTimer();
            state = State.BUSY;
            onRequestComplete();
        }
    }

    private void onRequestComplete() {
        // Decide under the rules in force now, not those at the head: the step may have ended during the body.
        Optional<EffectiveRules> now = px.store().rules(agentId);
        if (now.isEmpty()) {
            deny(Reason.NO_ACL, "no ACL for agent " + agentId);
            return;
        }
        rules = now.get();
        if (body.size() > rules.maxRequestBytes()) {
            deny(Reason.REQUEST_TOO_LARGE, "body exceeds " + rules.maxRequestBytes() + " bytes");
            return;
        }
        DlpMode dlp = rules.dlp();
        // Held secrets are looked for whatever the mode: a guest sending one back out is exfiltration.
        if ((dlp != DlpMode.OFF || !rules.held().isEmpty()) && !applyDlp(dlp)) {
            return;
        }
        decideThen(RequestTarget.http(request.method().name(), target.rawHost(), target.port(),
                MethodOverride.values(request.headers())), this::onHttpDecision); // overrides: see MethodOverride
    }

    /**
     * DLP over the request line, every header and the body ({@link RequestInspector}), as the guest sent them, before
     * any header is injected; false when refused.
     */
    private boolean applyDlp(DlpMode dlp) {
        RequestParts parts = new RequestParts(target.rawHost(), target.pathAndQuery(), request.headers().entries(),
                body.bytes());
        DlpVerdict verdict = RequestInspector.inspect(parts, dlp, DlpLimits.forBodyCap(rules.maxRequestBytes()),
                rules.held().revealAll());
        switch (verdict) {
            case DlpVerdict.Clean clean -> {
                return true;
            }
            case DlpVerdict.Unscannable u -> {
                return !refuse(Reason.DLP_UNSCANNABLE, u.why()); // report mode: forwarded as sent
            }
            case DlpVerdict.Block b -> {
                if (b.heldSecret()) {
                    deny(Reason.DLP_HELD_SECRET, "exfiltration refused: found " + b.describe());
                    return false;
                }
                return !refuse(Reason.DLP, "found " + b.describe());
            }
            case DlpVerdict.Redact r -> {
                target = new TargetParser.Parsed(target.rawHost(), target.port(), r.pathAndQuery());
                request.headers().clear();
                r.headers().forEach(e -> request.headers().add(e.getKey(), e.getValue()));
                if (r.body().isPresent()) {
                    body.replace(r.body().get());
                }
                ledger.noteAllow(Reason.DLP_REDACTED, "redacted " + r.describe());
                return true;
            }
        }
    }

    private void decideThen(RequestTarget t, Consumer<Decision> then) {
        decider.decide(rules, t, client.eventLoop(), () -> state != State.CLOSING && client.isActive(), then);
    }

    // ------------------------------------------------------------------ plain HTTP (see OriginForwarder)

    private void onHttpDecision(Decision d) {
        if (!admit(d)) {
            return;
        }
        origin.forward(d, request, target, rules, ledger, clientKeepAlive);
    }

    @Override
    public boolean awaitingResponse() {
        return state == State.RESPONSE;
    }

    @Override
    public boolean betweenRequests() {
        return state == State.HEAD;
    }

    @Override
    public boolean closing() {
        return state == State.CLOSING;
    }

    @Override
    public void enterResponse() {
        state = State.RESPONSE;
    }

    @Override
    public ByteBuf takeBody() {
        ByteBuf b = body.take(); // the body now belongs to the upstream write
        body = null;
        return b;
    }

    @Override
    public void responseDone(boolean keepAlive) {
        if (!keepAlive || h2Upstreams.isPresent()) { // an h2 stream ends with its one response
            closeClient();
            return;
        }
        state = State.HEAD;
        deadline.resetCount();
        armHeaderTimer();
        client.config().setAutoRead(true);
        drainPending();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        origin.clientWritable();
        ctx.fireChannelWritabilityChanged();
    }

    // ------------------------------------------------------------------ CONNECT

    private void onConnectDecision(Decision d) {
        if (!admit(d)) {
            return;
        }
        FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(200, "Connection established"));
        client.writeAndFlush(ok).addListener(f -> {
            if (!f.isSuccess() || state == State.CLOSING) {
                return;
            }
            state = State.HELLO;
            tunnelSetup = new TunnelSetup(px, agentId, client, this, decision, target, rules, decider.answers(), ledger);
            ctx.pipeline().remove(HttpResponseEncoderName.ENCODER);
            // Removing the decoder hands any bytes it already buffered (the ClientHello's start) to us.
            ctx.pipeline().remove(HttpResponseEncoderName.DECODER);
            armHeaderTimer();
            client.config().setAutoRead(true);
            drainPending();
        });
    }

    @Override
    public void helloComplete() {
        cancelHeaderTimer();
        client.config().setAutoRead(false);
        state = State.BUSY;
    }

    @Override
    public void rulesNow(EffectiveRules now) {
        rules = now;
    }

    @Override
    public void enterClosing() {
        state = State.CLOSING;
    }

    @Override
    public void enterTunnel() {
        state = State.TUNNEL;
    }

    @Override
    public List<ByteBuf> handOver() {
        List<ByteBuf> early = new ArrayList<>();
        for (Object m : pending) {
            if (m instanceof ByteBuf b) {
                early.add(b);
            } else {
                ReferenceCountUtil.release(m);
            }
        }
        pending.clear();
        // The tunnel owns the client connection from here: no HTTP handlers, no per-connection idle timer.
        ChannelPipeline p = ctx.pipeline();
        p.remove(IdleStateHandler.class);
        p.remove(RawByteCounter.class);
        p.remove(this);
        return early;
    }

    // ------------------------------------------------------------------ refusals and bookkeeping

    /** Report mode notes a reportable refusal and goes on (false); otherwise the request is denied (true). */
    private boolean refuse(Reason reason, String detail) {
        if (reportInstead(reason, detail)) {
            return false;
        }
        deny(reason, detail);
        return true;
    }

    /** Report mode and a reportable reason: notes it and lets the request go on (true). */
    @Override
    public boolean reportInstead(Reason reason, String detail) {
        if (px.mode().get() != EnforcementMode.REPORT || !reason.reportable()) {
            return false;
        }
        ledger.noteReported(reason, detail);
        return true;
    }

    /** Takes a policy decision in; false when it denied the request (the client has its answer). */
    private boolean admit(Decision d) {
        decision = d;
        ledger.host(d.host());
        if (d.outcome() == Outcome.DENY) {
            deny(d.reason(), d.detail());
            return false;
        }
        if (d.outcome() == Outcome.REPORT) {
            ledger.noteReported(d.reason(), d.detail());
        }
        return true;
    }

    @Override
    public void deny(Reason reason, String detail) {
        record(Outcome.DENY, reason, reason.status(), detail);
        state = State.CLOSING;
        cancelHeaderTimer();
        releaseBody();
        releaseHello();
        origin.closeUpstream();
        if (origin.responseStarted()) {
            client.close();
            return;
        }
        if (ctx.pipeline().get(HttpResponseEncoderName.ENCODER) == null) {
            client.close();
            return;
        }
        client.writeAndFlush(DenialResponse.of(reason, detail, rules)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void record(Outcome outcome, Reason reason, int status, String detail) {
        Optional<String> address = decision == null ? Optional.empty()
                : decision.pinned().map(a -> a.getHostAddress());
        Optional<String> step = rules == null ? Optional.empty() : rules.stepName();
        ledger.record(outcome, reason, status, detail, address, step);
    }

    private void resetRequest() {
        releaseBody();
        agentId = identity.agentBeforeRequest();
        ledger = new RequestLedger(agentId, px.decisions());
        request = null;
        target = null;
        rules = null;
        decision = null;
        decider.forget();
        origin.reset();
    }

    private void armHeaderTimer() {
        deadline.arm();
    }

    private void cancelHeaderTimer() {
        deadline.cancel();
    }

    private void onHeaderTimeout() {
        if (state == State.HEAD && deadline.idle()) {
            closeClient(); // idle keep-alive connection: nothing to report
        } else if (state == State.HEAD || state == State.BODY) {
            ledger.startIfNot();
            deny(Reason.HEADER_TIMEOUT, "request head not complete within " + px.config().headerTimeout());
        } else if (state == State.HELLO) {
            tunnelSetup.close(Reason.HEADER_TIMEOUT, "no ClientHello within " + px.config().headerTimeout(), null);
        }
    }

    @Override
    public void closeClient() {
        state = State.CLOSING;
        Relay.closeOnFlush(client);
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void releaseHello() {
        if (tunnelSetup != null) {
            tunnelSetup.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs && intercepted.isPresent()) {
            onClientHandshake(hs);
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof IdleStateEvent) {
            // While a request waits on its origin, the upstream's idle timer answers 504; closing the client here
            // would race it and leave the guest with a bare close.
            if (state != State.RESPONSE) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * The guest's handshake with the leaf ended. Success starts the first head's deadline. A failure (an untrusted
     * leaf, TLS garbage, no common protocol or cipher, a close mid-handshake, the handshake timeout) is this
     * tunnel's one {@code client-tls} record and a close; Netty fires the event once per handshake, and before the
     * channel goes inactive.
     */
    private void onClientHandshake(SslHandshakeCompletionEvent hs) {
        if (hs.isSuccess()) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (state == State.HEAD && tls != null
                    && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                // h2 negotiated: the connection's frames go to InterceptedH2, each stream to its own handler.
                state = State.CLOSING;
                cancelHeaderTimer();
                ChannelPipeline p = ctx.pipeline();
                p.remove(RawByteCounter.class);
                p.remove(HttpResponseEncoderName.DECODER);
                p.remove(HttpResponseEncoderName.ENCODER);
                p.remove(this);
                InterceptedH2.install(client, px, agentId, intercepted.orElseThrow());
                return;
            }
            if (state == State.HEAD) {
                armHeaderTimer();
            }
            return;
        }
        if (state == State.CLOSING) {
            return;
        }
        InterceptedOrigin o = intercepted.orElseThrow();
        ledger.start(HttpMethod.CONNECT.name());
        ledger.target(o.host(), o.port());
        rules = px.store().rules(agentId).orElse(null);
        record(Outcome.DENY, Reason.CLIENT_TLS, 0, ClientTlsFailure.describe(hs.cause(), px.config().headerTimeout()));
        closeClient();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHeaderTimer();
        if (state == State.RESPONSE || state == State.BUSY || state == State.BODY || state == State.HELLO) {
            if (request != null) {
                record(Outcome.DENY, Reason.BAD_REQUEST, 0, "client closed before the request completed");
            }
        }
        state = State.CLOSING;
        releaseBody();
        releaseHello();
        origin.closeUpstream();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
