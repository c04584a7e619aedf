package dev.rtfs.microvm.egressproxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 on the guest side of an intercepted tunnel (ALPN chose h2): Netty's frame codec and multiplexer behind the
 * guest's TLS, and per stream the h2 to HTTP/1.1 conversion, its guard ({@link H2StreamGuard}) and an intercepted
 * {@link FrontendHandler} of its own, so every stream is one request with the checks, refusals and one record an
 * HTTP/1.1 request gets; a refused stream is answered and closed alone. The codec is hardened against the known h2
 * floods; the origin side stays HTTP/1.1 over TLS, from a per-tunnel {@link UpstreamPool}.
 */
final class InterceptedH2 {

    private static final Logger LOG = LoggerFactory.getLogger(InterceptedH2.class);

    /** SETTINGS_MAX_CONCURRENT_STREAMS: a stream past it is refused (RST_STREAM REFUSED_STREAM). */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** Origin handshakes in flight at once per tunnel: a burst of streams waits for these before dialing more. */
    static final int MAX_UPSTREAM_DIALS = 4;
    /** Rapid reset (CVE-2023-44487): more RST_STREAMs than this per window is a GOAWAY. */
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;
    /** Control frames (PING/SETTINGS acks, RSTs) the guest may make the proxy queue before it is cut. */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
    /** Empty DATA frames in a row (a CPU flood with no payload). */
    static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;

    private InterceptedH2() {
    }

    /** Installs h2 on {@code tunnel}, whose TLS handshake just completed with ALPN h2. */
    static void install(Channel tunnel, ProxyContext px, String agentId, InterceptedOrigin origin) {
        int maxHeaderList = px.config().maxHeaderSize();
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(maxHeaderList))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA_FRAMES)
                .build();
        UpstreamPool pool = new UpstreamPool(MAX_CONCURRENT_STREAMS, MAX_UPSTREAM_DIALS);
        ChannelPipeline p = tunnel.pipeline();
        p.addLast(codec);
        p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new H2StreamGuard(origin));
                stream.pipeline().addLast(HttpResponseEncoderName.ENCODER, new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast(new H2StreamGuard.ConversionHeaders());
                stream.pipeline().addLast(FrontendHandler.h2Stream(px, agentId, origin, pool));
            }
        }));
        p.addLast(new ConnectionWatch(px, codec, pool));
    }

    /**
     * The connection as a whole: its first frames under the header timeout, the idle timeout while no stream is
     * open (a stream waiting on its origin has the origin's), the pool closed with the tunnel.
     */
    private static final class ConnectionWatch extends ChannelInboundHandlerAdapter {
        private final ProxyContext px;
        private final Http2FrameCodec codec;
        private final UpstreamPool pool;
        private ScheduledFuture<?> firstFrames;

        ConnectionWatch(ProxyContext px, Http2FrameCodec codec, UpstreamPool pool) {
            this.px = px;
            this.codec = codec;
            this.pool = pool;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            firstFrames = ctx.executor().schedule(() -> {
                LOG.debug("intercepted h2 connection {}: no SETTINGS within {}", ctx.channel(),
                        px.config().headerTimeout());
                ctx.close();
            }, px.config().headerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame && firstFrames != null) {
                firstFrames.cancel(false);
                firstFrames = null;
            }
            ReferenceCountUtil.release(msg); // connection frames (SETTINGS, PING, GOAWAY): the codec acted on them
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                if (codec.connection().numActiveStreams() == 0) {
                    ctx.close();
                }
                return;
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (firstFrames != null) {
                firstFrames.cancel(false);
            }
            pool.closeAll();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // An h2 connection error: the codec sends its GOAWAY (with the error code: closing here first would
            // make it a graceful NO_ERROR) and closes. No stack trace for guest-made garbage.
            LOG.debug("intercepted h2 connection {}: {}", ctx.channel(), cause.toString());
            if (!(cause instanceof Http2Exception)) {
                ctx.close();
            }
        }
    }
}
