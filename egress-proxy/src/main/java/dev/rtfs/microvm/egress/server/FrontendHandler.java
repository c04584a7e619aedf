package dev.rtfs.microvm.egress.server;

import dev.rtfs.microvm.egress.acl.DlpMode;
import dev.rtfs.microvm.egress.acl.EnforcementMode;
import dev.rtfs.microvm.egress.decision.Decision;
import dev.rtfs.microvm.egress.decision.EffectiveRules;
import dev.rtfs.microvm.egress.decision.MethodOverride;
import dev.rtfs.microvm.egress.decision.Outcome;
import dev.rtfs.microvm.egress.decision.PolicyEngine;
import dev.rtfs.microvm.egress.decision.Reason;
import dev.rtfs.microvm.egress.decision.RequestTarget;
import dev.rtfs.microvm.egress.decision.TargetParser;
import dev.rtfs.microvm.egress.dlp.DlpLimits;
import dev.rtfs.microvm.egress.dlp.DlpVerdict;
import dev.rtfs.microvm.egress.dlp.RequestInspector;
import dev.rtfs.microvm.egress.dlp.RequestParts;
import dev.rtfs.microvm.egress.net.HostNormalizer;
import dev.rtfs.microvm.egress.net.NormalizedHost;
import dev.rtfs.microvm.egress.net.Resolver;
import dev.rtfs.microvm.egress.observe.DecisionRecord;
import dev.rtfs.microvm.egress.tls.ClientHelloParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One client connection on an agent's listener. A small state machine: read a request head (under the header
 * timeout), read a bounded body, decide off the event loop (one DNS lookup), dial the pinned address, stream the
 * response back with backpressure; or, for CONNECT, answer 200, read the ClientHello, check its SNI, dial and
 * splice. Every refusal answers with a status and {@code X-Egress-Denied} and closes; every request ends in
 * exactly one {@link DecisionRecord}.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    static final String DENIED_HEADER = "X-Egress-Denied";
    static final String ERROR_HEADER = "X-Egress-Error";

    /** TLS fatal alert unrecognized_name(112): tells a TLS client why its tunnel closes. */
    private static final byte[] TLS_ALERT_UNRECOGNIZED_NAME = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x70};

    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade");

    private enum State { HEAD, BODY, BUSY, RESPONSE, HELLO, TUNNEL, CLOSING }

    private final ProxyContext px;
    private final String agentId;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private Channel client;
    private State state = State.HEAD;
    private ScheduledFuture<?> headerTimer;
    private long rawBytesSinceHead;

    // The request in flight.
    private long startNanos;
    private HttpRequest request;
    private String method = "-";
    private String hostForLog = "-";
    private int port;
    private TargetParser.Parsed target;
    private EffectiveRules rules;
    private CompositeByteBuf body;
    private long bodyBytes;
    private long reservedBody;
    private Reason reported;
    private String reportedDetail = "";
    private Reason allowReason = Reason.ALLOWED;
    private String allowDetail = "";
    private boolean clientKeepAlive;
    private Decision decision;
    private List<InetAddress> answers;
    private long bytesIn;
    private long bytesOut;
    private int responseStatus;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean recorded;

    // Upstream connection (kept between requests when the next one pins the same address).
    private Channel upstream;
    private InetSocketAddress upstreamAddress;

    // CONNECT.
    private ByteBuf hello;

    FrontendHandler(ProxyContext px, String agentId) {
        this.px = px;
        this.agentId = agentId;
    }

    /** Counts raw bytes ahead of the HTTP decoder, so the header timeout knows a slow head from an idle connection. */
    final class RawByteCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (msg instanceof ByteBuf b) {
                rawBytesSinceHead += b.readableBytes();
            }
            c.fireChannelRead(msg);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.client = ctx.channel();
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
            // Pipelined input while a request is in flight: keep it for later, reading is paused meanwhile.
            pending.add(msg);
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
                    onHello(b);
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
        startNanos = System.nanoTime();
        request = req;
        method = req.method().name();
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            if (cause instanceof TooLongHttpHeaderException) {
                deny(Reason.HEADERS_TOO_LARGE, "request headers exceed " + px.config().maxHeaderSize() + " bytes");
            } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
                deny(Reason.BAD_REQUEST, "request line too long");
            } else if (cause instanceof SmugglingException
                    || String.valueOf(cause.getMessage()).contains("Content-Length")) {
                deny(Reason.SMUGGLING, String.valueOf(cause.getMessage()));
            } else {
                deny(Reason.BAD_REQUEST, "malformed request: " + cause.getClass().getSimpleName());
            }
            return;
        }
        HttpHeaders h = req.headers();
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty() && h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            deny(Reason.SMUGGLING, "both Content-Length and Transfer-Encoding");
            return;
        }
        if (!te.isEmpty() && !(te.size() == 1 && te.get(0).trim().equalsIgnoreCase("chunked"))) {
            deny(Reason.SMUGGLING, "unsupported Transfer-Encoding " + te);
            return;
        }
        if (h.getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) {
            deny(Reason.SMUGGLING, "duplicate Content-Length");
            return;
        }
        boolean isConnect = req.method().equals(HttpMethod.CONNECT);
        TargetParser.Result parsed = isConnect ? TargetParser.connect(req.uri()) : TargetParser.absolute(req.uri());
        if (parsed instanceof TargetParser.Rejected r) {
            deny(r.reason(), r.detail());
            return;
        }
        target = (TargetParser.Parsed) parsed;
        hostForLog = target.rawHost();
        port = target.port();
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
            h.remove(HttpHeaderNames.EXPECT);
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        body = client.alloc().compositeBuffer(64);
        state = State.BODY;
        // The body gets the same deadline as a head: a trickling upload cannot hold the connection.
        long seen = rawBytesSinceHead;
        armHeaderTimer();
        rawBytesSinceHead = seen;
    }

    private void onBody(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            // A bad chunk ends the decoder's body with a failed last part: refuse rather than forward a truncation.
            c.release();
            deny(Reason.BAD_REQUEST, "malformed request body: " + c.decoderResult().cause().getMessage());
            return;
        }
        ByteBuf content = c.content();
        bodyBytes += content.readableBytes();
        if (bodyBytes > rules.maxRequestBytes()) {
            c.release();
            deny(Reason.REQUEST_TOO_LARGE, "body exceeds " + rules.maxRequestBytes() + " bytes");
            return;
        }
        if (content.isReadable() && !px.bodyBudget().tryReserve(content.readableBytes())) {
            c.release();
            deny(Reason.PROXY_BUSY, "the proxy holds " + px.bodyBudget().limit() + " bytes of request bodies; retry later");
            return;
        }
        reservedBody += content.readableBytes();
        if (content.isReadable()) {
            body.addComponent(true, content.retain());
        }
        boolean last = c instanceof LastHttpContent;
        c.release();
        if (last) {
            cancelHeaderTimer();
            state = State.BUSY;
            client.config().setAutoRead(false);
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
        if (bodyBytes > rules.maxRequestBytes()) {
            deny(Reason.REQUEST_TOO_LARGE, "body exceeds " + rules.maxRequestBytes() + " bytes");
            return;
        }
        DlpMode dlp = rules.dlp();
        if (dlp != DlpMode.OFF && !applyDlp(dlp)) {
            return;
        }
        decideThen(RequestTarget.http(method, target.rawHost(), target.port(),
                MethodOverride.values(request.headers())), this::onHttpDecision); // overrides: see MethodOverride
    }

    /** DLP over the request line, every header and the body ({@link RequestInspector}); false when refused. */
    private boolean applyDlp(DlpMode dlp) {
        RequestParts parts = new RequestParts(target.rawHost(), target.pathAndQuery(), request.headers().entries(),
                ByteBufUtil.getBytes(body));
        DlpVerdict verdict = RequestInspector.inspect(parts, dlp, DlpLimits.forBodyCap(rules.maxRequestBytes()));
        switch (verdict) {
            case DlpVerdict.Clean clean -> {
                return true;
            }
            case DlpVerdict.Unscannable u -> {
                return !refuse(Reason.DLP_UNSCANNABLE, u.why()); // report mode: forwarded as sent
            }
            case DlpVerdict.Block b -> {
                return !refuse(Reason.DLP, "found " + b.describe());
            }
            case DlpVerdict.Redact r -> {
                target = new TargetParser.Parsed(target.rawHost(), target.port(), r.pathAndQuery());
                request.headers().clear();
                r.headers().forEach(e -> request.headers().add(e.getKey(), e.getValue()));
                if (r.body().isPresent()) {
                    body.release();
                    body = client.alloc().compositeBuffer(1);
                    body.addComponent(true, Unpooled.wrappedBuffer(r.body().get()));
                }
                noteAllow(Reason.DLP_REDACTED, "redacted " + r.describe());
                return true;
            }
        }
    }

    private void decideThen(RequestTarget t, java.util.function.Consumer<Decision> then) {
        EffectiveRules r = rules;
        EnforcementMode mode = px.mode().get();
        answers = null;
        // Keeps the one lookup's answers, so a tunnel can be re-checked later without a second lookup.
        Resolver once = host -> answers = px.config().resolver().resolve(host);
        NormalizedHost n = HostNormalizer.normalize(t.rawHost());
        if (!(n instanceof NormalizedHost.Name name) || px.config().resolver().answersWithoutBlocking(name.ascii())) {
            // Literals, invalid hosts and names answered from memory need no lookup thread.
            then.accept(PolicyEngine.decide(r, t, mode, once));
            return;
        }
        px.resolverExecutor().execute(() -> {
            Decision d;
            try {
                d = PolicyEngine.decide(r, t, mode, once);
            } catch (RuntimeException e) {
                d = Decision.deny(Reason.DNS_FAILURE, t.rawHost(), "decision failed: " + e);
            }
            Decision fin = d;
            client.eventLoop().execute(() -> {
                if (state != State.CLOSING && client.isActive()) {
                    then.accept(fin);
                }
            });
        });
    }

    // ------------------------------------------------------------------ plain HTTP

    private void onHttpDecision(Decision d) {
        if (!admit(d)) {
            return;
        }
        InetSocketAddress pinned = new InetSocketAddress(d.pinned().orElseThrow(), port);
        if (upstream != null && upstream.isActive() && pinned.equals(upstreamAddress)) {
            sendUpstream();
            return;
        }
        closeUpstream();
        Channel me = client;
        px.connector().connect(pinned, client.eventLoop(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IdleStateHandler(px.config().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast(new HttpClientCodec(4096, px.config().maxHeaderSize() * 2, 64 * 1024));
                ch.pipeline().addLast(new UpstreamHandler());
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                if (state != State.CLOSING) {
                    deny(Reason.CONNECT_FAILED, "dial " + pinned + ": " + f.cause());
                }
                return;
            }
            Channel ch = (Channel) f.getNow();
            if (state == State.CLOSING || !me.isActive()) {
                ch.close();
                return;
            }
            upstream = ch;
            upstreamAddress = pinned;
            sendUpstream();
        });
    }

    private void sendUpstream() {
        // The origin sees the name that was decided on (normalized), whatever spelling or Host header the guest sent.
        String host = decision.host().indexOf(':') >= 0 ? "[" + decision.host() + "]" : decision.host();
        String authority = port == 80 ? host : host + ":" + port;
        DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(),
                target.pathAndQuery(), body);
        body = null;
        releaseReservation(); // the body now belongs to the upstream write
        HttpHeaders h = out.headers();
        h.set(request.headers());
        stripHopByHop(h, request.headers());
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        h.remove(HttpHeaderNames.EXPECT);
        h.set(HttpHeaderNames.HOST, authority);
        if (out.content().isReadable() || HttpUtil.isContentLengthSet(request)
                || request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
        }
        bytesIn += out.content().readableBytes();
        state = State.RESPONSE;
        upstream.config().setAutoRead(true);
        upstream.writeAndFlush(out).addListener(f -> {
            if (!f.isSuccess() && state == State.RESPONSE && !responseStarted) {
                deny(Reason.UPSTREAM_ERROR, "write to upstream failed");
            }
        });
    }

    /** Response side of the plain HTTP path; runs on the client's event loop (the upstream shares it). */
    final class UpstreamHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext uctx, Object msg) {
            if (uctx.channel() != upstream || state != State.RESPONSE) {
                ReferenceCountUtil.release(msg);
                if (uctx.channel() == upstream && state == State.HEAD) {
                    closeUpstream(); // bytes on an idle keep-alive connection: not a usable connection any more
                }
                return;
            }
            if (msg instanceof HttpResponse resp) {
                onResponseHead(resp);
            }
            if (msg instanceof HttpContent c && state == State.RESPONSE) {
                onResponseContent(c);
            } else if (msg instanceof HttpContent c) {
                c.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext uctx) {
            if (uctx.channel() == upstream && state == State.RESPONSE) {
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
            if (state == State.RESPONSE) {
                if (!responseStarted) {
                    deny(Reason.UPSTREAM_ERROR, "upstream closed before responding");
                } else {
                    record(outcomeNow(), allowReasonNow(), responseStatus, "upstream closed mid-response");
                    closeClient();
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext uctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                if (uctx.channel() == upstream && state == State.RESPONSE && !responseStarted) {
                    deny(Reason.UPSTREAM_TIMEOUT, "no response within the idle timeout");
                }
                uctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext uctx, Throwable cause) {
            uctx.close();
        }
    }

    private void onResponseHead(HttpResponse resp) {
        if (resp.decoderResult().isFailure()) {
            deny(Reason.UPSTREAM_ERROR, "malformed upstream response");
            return;
        }
        int code = resp.status().code();
        if (code >= 100 && code < 200) {
            return; // informational: we removed Expect and Upgrade, so nothing to relay
        }
        if (HttpUtil.isContentLengthSet(resp) && HttpUtil.getContentLength(resp, 0L) > rules.maxResponseBytes()) {
            deny(Reason.RESPONSE_TOO_LARGE, "Content-Length " + HttpUtil.getContentLength(resp, 0L) + " > "
                    + rules.maxResponseBytes());
            return;
        }
        upstreamKeepAlive = HttpUtil.isKeepAlive(resp);
        boolean framed = HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp)
                || code == 204 || code == 304 || request.method().equals(HttpMethod.HEAD);
        if (!framed) {
            clientKeepAlive = false; // the body ends when the connection does
        }
        HttpHeaders h = resp.headers();
        HttpHeaders copy = h.copy();
        stripHopByHop(h, copy);
        h.set(HttpHeaderNames.CONNECTION, clientKeepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        resp.setProtocolVersion(HttpVersion.HTTP_1_1);
        responseStatus = code;
        responseStarted = true;
        client.write(stripContent(resp));
    }

    private static Object stripContent(HttpResponse resp) {
        if (resp instanceof FullHttpResponse) {
            // The content is delivered as the HttpContent part of the same object; send the head alone.
            return new io.netty.handler.codec.http.DefaultHttpResponse(resp.protocolVersion(), resp.status(), resp.headers());
        }
        return resp;
    }

    private void onResponseContent(HttpContent c) {
        if (!responseStarted) {
            c.release();
            return;
        }
        bytesOut += c.content().readableBytes();
        if (bytesOut > rules.maxResponseBytes()) {
            c.release();
            record(Outcome.DENY, Reason.RESPONSE_TOO_LARGE, responseStatus, "response body exceeds "
                    + rules.maxResponseBytes() + " bytes; connection cut");
            closeUpstream();
            closeClient();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            // Record before the client can see the end of the response, so the log never lags the client.
            record(outcomeNow(), allowReasonNow(), responseStatus, allowDetailNow());
        }
        client.write(c);
        if (last) {
            client.flush();
            finishHttp();
        } else if (!client.isWritable() && upstream != null) {
            upstream.config().setAutoRead(false);
        }
    }

    private void finishHttp() {
        record(outcomeNow(), allowReasonNow(), responseStatus, allowDetailNow());
        if (!upstreamKeepAlive) {
            closeUpstream();
        }
        if (!clientKeepAlive) {
            closeClient();
            return;
        }
        state = State.HEAD;
        rawBytesSinceHead = 0;
        armHeaderTimer();
        client.config().setAutoRead(true);
        drainPending();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (client.isWritable() && upstream != null && state == State.RESPONSE) {
            upstream.config().setAutoRead(true);
        }
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
            hello = client.alloc().buffer(1024);
            ctx.pipeline().remove(HttpResponseEncoderName.ENCODER);
            // Removing the decoder hands any bytes it already buffered (the ClientHello's start) to us.
            ctx.pipeline().remove(HttpResponseEncoderName.DECODER);
            armHeaderTimer();
            client.config().setAutoRead(true);
            drainPending();
        });
    }

    private void onHello(ByteBuf b) {
        // Bounded: the parser answers NotTls past MAX_HELLO, so at most one more read is ever appended.
        hello.writeBytes(b);
        b.release();
        byte[] bytes = new byte[hello.readableBytes()];
        hello.getBytes(hello.readerIndex(), bytes);
        ClientHelloParser.Result r = ClientHelloParser.parse(bytes, bytes.length);
        if (r instanceof ClientHelloParser.NeedMore) {
            return;
        }
        cancelHeaderTimer();
        client.config().setAutoRead(false);
        state = State.BUSY;
        switch (r) {
            case ClientHelloParser.Sni sni -> {
                // Every listed name must be the CONNECT host: the origin may serve any of them.
                for (String listed : sni.hostNames()) {
                    NormalizedHost n = HostNormalizer.normalize(listed);
                    boolean same = n instanceof NormalizedHost.Name name && name.ascii().equals(decision.host());
                    if (!same && refuseTls(Reason.SNI_MISMATCH, "SNI \"" + listed + "\" != CONNECT host "
                            + decision.host() + (sni.hostNames().size() > 1 ? " (one of " + sni.hostNames().size()
                            + " server names)" : ""))) {
                        return;
                    }
                }
            }
            case ClientHelloParser.NoSni none -> {
                if (refuseTls(Reason.SNI_MISSING, "ClientHello without SNI")) {
                    return;
                }
            }
            case ClientHelloParser.NotTls not -> {
                refuseTls(Reason.NOT_TLS, not.why());
                return;
            }
            default -> throw new IllegalStateException();
        }
        if (rulesChangedSinceDecision()) {
            return;
        }
        openTunnel();
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
            List<InetAddress> pinnedAnswers = answers;
            d = PolicyEngine.decide(rules, RequestTarget.connect(target.rawHost(), port), px.mode().get(),
                    host -> pinnedAnswers);
        }
        if (d.outcome() == Outcome.DENY) {
            closeTunnel(d.reason(), "rules changed before the ClientHello: " + d.detail(), null);
            return true;
        }
        if (d.outcome() == Outcome.REPORT) {
            noteReported(d.reason(), d.detail());
        }
        return false;
    }

    private boolean refuseTls(Reason reason, String detail) {
        if (reportInstead(reason, detail)) {
            return false;
        }
        closeTunnel(reason, detail, Unpooled.wrappedBuffer(TLS_ALERT_UNRECOGNIZED_NAME));
        return true;
    }

    /** Refuses a tunnel after its 200 (no HTTP answer is possible): the record, then a close after {@code farewell}. */
    private void closeTunnel(Reason reason, String detail, ByteBuf farewell) {
        record(Outcome.DENY, reason, 0, detail);
        state = State.CLOSING;
        releaseHello();
        if (farewell == null) {
            client.close();
        } else {
            client.writeAndFlush(farewell).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void openTunnel() {
        InetSocketAddress pinned = new InetSocketAddress(decision.pinned().orElseThrow(), port);
        Channel me = client;
        px.connector().connect(pinned, client.eventLoop(), new ChannelInboundHandlerAdapter()).addListener(f -> {
            if (!f.isSuccess()) {
                closeTunnel(Reason.CONNECT_FAILED, "dial " + pinned + ": " + f.cause(), null);
                return;
            }
            Channel up = (Channel) f.getNow();
            if (!me.isActive()) {
                releaseHello();
                up.close();
                return;
            }
            upstream = up;
            state = State.TUNNEL;
            px.metrics().tunnelOpened();
            Tunnel tunnel = new Tunnel(me, up, rules.maxRequestBytes(), rules.maxResponseBytes(),
                    px.config().idleTimeout(), this::onTunnelEnd);
            List<ByteBuf> early = new ArrayList<>();
            for (Object m : pending) {
                if (m instanceof ByteBuf b) {
                    early.add(b);
                } else {
                    ReferenceCountUtil.release(m);
                }
            }
            pending.clear();
            ByteBuf first = hello;
            hello = null;
            // The tunnel owns the client connection from here: no HTTP handlers, no per-connection idle timer.
            ChannelPipeline p = ctx.pipeline();
            p.remove(IdleStateHandler.class);
            p.remove(RawByteCounter.class);
            p.remove(this);
            tunnel.start(first, early);
        });
    }

    private void onTunnelEnd(Tunnel.End end) {
        px.metrics().tunnelClosed();
        bytesIn = end.bytesUp();
        bytesOut = end.bytesDown();
        if (end.cut().isPresent()) {
            record(Outcome.DENY, end.cut().get().reason(), 0, end.cut().get().detail());
        } else {
            record(outcomeNow(), allowReasonNow(), 200, allowDetailNow());
        }
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
    private boolean reportInstead(Reason reason, String detail) {
        if (px.mode().get() != EnforcementMode.REPORT || !reason.reportable()) {
            return false;
        }
        noteReported(reason, detail);
        return true;
    }

    /** The first reported reason is the one the record carries. */
    private void noteReported(Reason reason, String detail) {
        if (reported == null) {
            reported = reason;
            reportedDetail = detail;
        }
    }

    /** Takes a policy decision in; false when it denied the request (the client has its answer). */
    private boolean admit(Decision d) {
        decision = d;
        hostForLog = d.host();
        if (d.outcome() == Outcome.DENY) {
            deny(d.reason(), d.detail());
            return false;
        }
        if (d.outcome() == Outcome.REPORT) {
            noteReported(d.reason(), d.detail());
        }
        return true;
    }

    private void noteAllow(Reason reason, String detail) {
        allowReason = reason;
        allowDetail = detail;
    }

    private Outcome outcomeNow() {
        return reported != null ? Outcome.REPORT : Outcome.ALLOW;
    }

    private Reason allowReasonNow() {
        return reported != null ? reported : allowReason;
    }

    private String allowDetailNow() {
        return reported != null ? reportedDetail : allowDetail;
    }

    private void deny(Reason reason, String detail) {
        record(Outcome.DENY, reason, reason.status(), detail);
        state = State.CLOSING;
        cancelHeaderTimer();
        releaseBody();
        releaseHello();
        closeUpstream();
        if (responseStarted) {
            client.close();
            return;
        }
        if (ctx.pipeline().get(HttpResponseEncoderName.ENCODER) == null) {
            client.close();
            return;
        }
        byte[] text = (reason.code() + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reason.status()), Unpooled.wrappedBuffer(text));
        r.headers().set(reason.isUpstreamFault() ? ERROR_HEADER : DENIED_HEADER, reason.code());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (reason == Reason.RATE_LIMITED && rules != null) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, rules.retryAfterSeconds());
        }
        client.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    private void record(Outcome outcome, Reason reason, int status, String detail) {
        if (recorded) {
            return;
        }
        recorded = true;
        long durationMs = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
        Optional<String> address = decision == null ? Optional.empty()
                : decision.pinned().map(a -> a.getHostAddress());
        Optional<String> step = rules == null ? Optional.empty() : rules.stepName();
        px.decisions().accept(new DecisionRecord(Instant.now(), agentId, step, method, hostForLog, port, address,
                outcome.name(), reason.code(), status, detail, bytesIn, bytesOut, durationMs));
    }

    private void resetRequest() {
        releaseBody();
        request = null;
        method = "-";
        hostForLog = "-";
        port = 0;
        target = null;
        rules = null;
        bodyBytes = 0;
        reported = null;
        reportedDetail = "";
        allowReason = Reason.ALLOWED;
        allowDetail = "";
        decision = null;
        answers = null;
        bytesIn = 0;
        bytesOut = 0;
        responseStatus = 0;
        responseStarted = false;
        upstreamKeepAlive = false;
        recorded = false;
    }

    private static void stripHopByHop(HttpHeaders target, HttpHeaders original) {
        for (String c : original.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : c.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    target.remove(t);
                }
            }
        }
        HOP_BY_HOP.forEach(target::remove);
    }

    private void armHeaderTimer() {
        cancelHeaderTimer();
        rawBytesSinceHead = 0;
        long ms = px.config().headerTimeout().toMillis();
        headerTimer = client.eventLoop().schedule(this::onHeaderTimeout, ms, TimeUnit.MILLISECONDS);
    }

    private void cancelHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }

    private void onHeaderTimeout() {
        headerTimer = null;
        if (state == State.HEAD && rawBytesSinceHead == 0) {
            closeClient(); // idle keep-alive connection: nothing to report
        } else if (state == State.HEAD || state == State.BODY) {
            startNanos = startNanos == 0 ? System.nanoTime() : startNanos;
            deny(Reason.HEADER_TIMEOUT, "request head not complete within " + px.config().headerTimeout());
        } else if (state == State.HELLO) {
            closeTunnel(Reason.HEADER_TIMEOUT, "no ClientHello within " + px.config().headerTimeout(), null);
        }
    }

    private void closeUpstream() {
        if (upstream != null) {
            Channel u = upstream;
            upstream = null;
            upstreamAddress = null;
            u.close();
        }
    }

    private void closeClient() {
        state = State.CLOSING;
        Relay.closeOnFlush(client);
    }

    private void releaseReservation() {
        px.bodyBudget().release(reservedBody);
        reservedBody = 0;
    }

    private void releaseBody() {
        releaseReservation();
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void releaseHello() {
        if (hello != null) {
            hello.release();
            hello = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
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
        closeUpstream();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
