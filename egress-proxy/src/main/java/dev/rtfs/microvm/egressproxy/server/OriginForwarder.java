package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Decision;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.decision.TargetParser;
import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import dev.rtfs.microvm.egressproxy.tls.UpstreamTls;
import dev.rtfs.microvm.egressproxy.tls.UpstreamTlsFailure;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import java.util.concurrent.TimeUnit;

/**
 * The plain-HTTP leg of one client connection: dials the pinned address (or reuses the kept-alive origin connection
 * when the next request pins the same one), sends the {@link OriginRequest}, and relays the response back with
 * backpressure under the response cap. The connection's state machine stays with its {@link Owner}; this class
 * owns the origin connection and the response in flight. Runs on the client's event loop (the origin shares it).
 */
final class OriginForwarder {

    /** What the forwarder needs from the connection it serves. */
    interface Owner {

        /** True while a request waits on, or streams, its response. */
        boolean awaitingResponse();

        /** True between requests on a kept-alive connection. */
        boolean betweenRequests();

        boolean closing();

        /** The request is on its way upstream: the connection now waits on the response. */
        void enterResponse();

        /** Hands over the request body (and ends its reservation against the body budget). */
        ByteBuf takeBody();

        void deny(Reason reason, String detail);

        void record(Outcome outcome, Reason reason, int status, String detail);

        void closeClient();

        /** The response was relayed and recorded; {@code keepAlive} says whether the client may send another. */
        void responseDone(boolean keepAlive);
    }

    private final ProxyContext px;
    private final Channel client;
    private final Owner owner;
    /** Present for an intercepted tunnel: the origin is spoken to over TLS ({@link UpstreamTls}). */
    private final Optional<InterceptedOrigin> tls;
    /** Present for a stream of an intercepted h2 connection: origin connections come from, and go back to, it. */
    private final Optional<UpstreamPool> pool;
    private UpstreamPool.Key upstreamKey;

    // Kept between requests when the next one pins the same address.
    private Channel upstream;
    private InetSocketAddress upstreamAddress;

    // The exchange in flight.
    private HttpRequest request;
    private EffectiveRules rules;
    private RequestLedger ledger;
    private boolean clientKeepAlive;
    private int responseStatus;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;

    OriginForwarder(ProxyContext px, Channel client, Owner owner, Optional<InterceptedOrigin> tls) {
        this(px, client, owner, tls, Optional.empty());
    }

    OriginForwarder(ProxyContext px, Channel client, Owner owner, Optional<InterceptedOrigin> tls,
            Optional<UpstreamPool> pool) {
        this.px = px;
        this.client = client;
        this.owner = owner;
        this.tls = tls;
        this.pool = pool;
    }

    /** Forwards an admitted request; the body is taken from the owner once the origin connection is ready. */
    void forward(Decision d, HttpRequest req, TargetParser.Parsed target, EffectiveRules r, RequestLedger l,
            boolean keepAlive) {
        request = req;
        rules = r;
        ledger = l;
        clientKeepAlive = keepAlive;
        InetSocketAddress pinned = new InetSocketAddress(d.pinned().orElseThrow(), target.port());
        if (upstream != null && upstream.isActive() && pinned.equals(upstreamAddress)) {
            send(d, target);
            return;
        }
        closeUpstream();
        UpstreamPool.Key key = new UpstreamPool.Key(pinned, rules.tls());
        if (pool.isPresent()) {
            Optional<Channel> idle = pool.get().take(key);
            if (idle.isPresent()) {
                adopt(idle.get(), pinned, key);
                send(d, target);
                return;
            }
            if (!pool.get().mayDial()) {
                // The tunnel's bound: wait for a connection to come back or close (the origin's idle timeout
                // bounds how long one can stay busy).
                pool.get().await(() -> {
                    if (!owner.closing() && client.isActive() && !pool.get().closed()) {
                        forward(d, req, target, r, l, keepAlive);
                    } else {
                        pool.get().passOn(client);
                    }
                });
                return;
            }
        }
        Optional<SslHandler> ssl = Optional.empty();
        if (tls.isPresent()) {
            switch (px.upstreamTls().handler(client.alloc(), d.host(), target.port(), rules.tls())) {
                case UpstreamTls.Ready ready -> ssl = Optional.of(ready.handler());
                case UpstreamTls.Failed failed -> {
                    owner.deny(Reason.UPSTREAM_TLS, failed.failure().describe());
                    return;
                }
            }
        }
        Optional<SslHandler> upstreamSsl = ssl;
        Channel me = client;
        px.connector().connect(pinned, client.eventLoop(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                upstreamSsl.ifPresent(h -> ch.pipeline().addLast(h));
                ch.pipeline().addLast(new IdleStateHandler(px.config().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast(new HttpClientCodec(4096, px.config().maxHeaderSize() * 2, 64 * 1024));
                ch.pipeline().addLast(UpstreamPool.USER, new UpstreamHandler());
                pool.ifPresent(p -> p.opened(ch));
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                if (!owner.closing()) {
                    owner.deny(Reason.CONNECT_FAILED, "dial " + pinned + ": " + f.cause());
                }
                return;
            }
            Channel ch = (Channel) f.getNow();
            if (owner.closing() || !me.isActive()) {
                ch.close();
                return;
            }
            if (upstreamSsl.isEmpty()) {
                pool.ifPresent(p -> p.ready(ch));
                upstream = ch;
                upstreamAddress = pinned;
                upstreamKey = key;
                send(d, target);
                return;
            }
            // The request goes out only over a verified session: chain, host name, pin and client certificate.
            ch.config().setAutoRead(true);
            upstreamSsl.get().handshakeFuture().addListener(h -> {
                pool.ifPresent(p -> p.ready(ch));
                if (!h.isSuccess()) {
                    ch.close();
                    if (!owner.closing()) {
                        owner.deny(Reason.UPSTREAM_TLS, UpstreamTlsFailure.of(h.cause()).describe());
                    }
                    return;
                }
                if (owner.closing() || !me.isActive()) {
                    ch.close();
                    return;
                }
                upstream = ch;
                upstreamAddress = pinned;
                upstreamKey = key;
                send(d, target);
            });
        });
    }

    /** Takes a verified idle connection of the pool as this stream's origin connection. */
    private void adopt(Channel ch, InetSocketAddress pinned, UpstreamPool.Key key) {
        ch.pipeline().replace(UpstreamPool.USER, UpstreamPool.USER, new UpstreamHandler());
        upstream = ch;
        upstreamAddress = pinned;
        upstreamKey = key;
    }

    private void send(Decision d, TargetParser.Parsed target) {
        // Secrets go out only inside the proxy's own TLS: never injected into plain HTTP, where the wire shows them.
        List<HeldSecrets.Header> inject = tls.isPresent() ? rules.held().forHost(d.host()) : List.of();
        FullHttpRequest out = OriginRequest.of(request, d.host(), target.port(), tls.isPresent() ? 443 : 80,
                target.pathAndQuery(), owner.takeBody(), inject);
        ledger.addBytesIn(out.content().readableBytes());
        owner.enterResponse();
        upstream.config().setAutoRead(true);
        upstream.writeAndFlush(out).addListener(f -> {
            if (!f.isSuccess() && owner.awaitingResponse() && !responseStarted) {
                owner.deny(Reason.UPSTREAM_ERROR, "write to upstream failed");
            }
        });
    }

    /** True once a response head reached the client: a refusal can then only close the connection. */
    boolean responseStarted() {
        return responseStarted;
    }

    /** Forgets the previous exchange; the origin connection stays. */
    void reset() {
        responseStatus = 0;
        responseStarted = false;
        upstreamKeepAlive = false;
    }

    /** The client drained its write buffer: resume reading the origin. */
    void clientWritable() {
        if (client.isWritable() && upstream != null && owner.awaitingResponse()) {
            upstream.config().setAutoRead(true);
        }
    }

    void closeUpstream() {
        if (upstream != null) {
            Channel u = upstream;
            upstream = null;
            upstreamAddress = null;
            upstreamKey = null;
            u.close();
        }
    }

    /** The exchange ended kept-alive on a pooled connection: it goes back for the tunnel's next stream. */
    private void returnUpstream() {
        Channel u = upstream;
        UpstreamPool.Key key = upstreamKey;
        upstream = null;
        upstreamAddress = null;
        upstreamKey = null;
        pool.orElseThrow().giveBack(key, u);
    }

    /** Response side of the plain HTTP path. */
    final class UpstreamHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext uctx, Object msg) {
            if (uctx.channel() != upstream || !owner.awaitingResponse()) {
                ReferenceCountUtil.release(msg);
                if (uctx.channel() == upstream && owner.betweenRequests()) {
                    closeUpstream(); // bytes on an idle keep-alive connection: not a usable connection any more
                }
                return;
            }
            if (msg instanceof HttpResponse resp) {
                onResponseHead(resp);
            }
            if (msg instanceof HttpContent c && owner.awaitingResponse()) {
                onResponseContent(c);
            } else if (msg instanceof HttpContent c) {
                c.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext uctx) {
            if (uctx.channel() == upstream && owner.awaitingResponse()) {
                client.flush();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext uctx) {
            if (uctx.channel() != upstream) {
                return;
            }
            upstream = null;
            upstreamAddress = null;
            upstreamKey = null;
            if (owner.awaitingResponse()) {
                if (!responseStarted) {
                    owner.deny(Reason.UPSTREAM_ERROR, "upstream closed before responding");
                } else {
                    owner.record(ledger.outcomeNow(), ledger.allowReasonNow(), responseStatus,
                            "upstream closed mid-response");
                    owner.closeClient();
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext uctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                if (uctx.channel() == upstream && owner.awaitingResponse() && !responseStarted) {
                    owner.deny(Reason.UPSTREAM_TIMEOUT, "no response within the idle timeout");
                }
                uctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext uctx, Throwable cause) {
            // TLS 1.3: an origin refuses a client certificate after the proxy's handshake is done, with an alert
            // that arrives here before any response; name the check instead of "closed before responding".
            boolean tlsFault = cause instanceof SSLException || cause.getCause() instanceof SSLException;
            if (tls.isPresent() && tlsFault && uctx.channel() == upstream && owner.awaitingResponse()
                    && !responseStarted) {
                owner.deny(Reason.UPSTREAM_TLS, UpstreamTlsFailure.of(cause).describe());
            }
            uctx.close();
        }
    }

    private void onResponseHead(HttpResponse resp) {
        switch (ResponseHead.plan(resp, request.method(), rules.maxResponseBytes(), clientKeepAlive)) {
            case ResponseHead.Refuse refuse -> owner.deny(refuse.refusal().reason(), refuse.refusal().detail());
            case ResponseHead.Skip skip -> {
            }
            case ResponseHead.Relay relay -> {
                upstreamKeepAlive = relay.upstreamKeepAlive();
                clientKeepAlive = relay.clientKeepAlive();
                responseStatus = relay.status();
                responseStarted = true;
                client.write(relay.head());
            }
        }
    }

    private void onResponseContent(HttpContent c) {
        if (!responseStarted) {
            c.release();
            return;
        }
        if (ledger.addBytesOut(c.content().readableBytes()) > rules.maxResponseBytes()) {
            c.release();
            owner.record(Outcome.DENY, Reason.RESPONSE_TOO_LARGE, responseStatus, "response body exceeds "
                    + rules.maxResponseBytes() + " bytes; connection cut");
            closeUpstream();
            owner.closeClient();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            // Record before the client can see the end of the response, so the log never lags the client.
            owner.record(ledger.outcomeNow(), ledger.allowReasonNow(), responseStatus, ledger.allowDetailNow());
        }
        client.write(c);
        if (last) {
            client.flush();
            finish();
        } else if (!client.isWritable() && upstream != null) {
            upstream.config().setAutoRead(false);
        }
    }

    private void finish() {
        owner.record(ledger.outcomeNow(), ledger.allowReasonNow(), responseStatus, ledger.allowDetailNow());
        if (!upstreamKeepAlive) {
            closeUpstream();
        } else if (pool.isPresent() && upstream != null) {
            returnUpstream();
        }
        owner.responseDone(clientKeepAlive);
    }
}
