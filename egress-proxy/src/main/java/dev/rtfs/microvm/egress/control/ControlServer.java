package dev.rtfs.microvm.egress.control;

import dev.rtfs.microvm.egress.EgressProxy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-only control API: HTTP/1.1 over a Unix domain socket (mode 0600), so only the host user that runs
 * the proxy can reprogram it. Routes are in {@link ControlApi}; try {@code curl --unix-socket PATH http://x/health}.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path socket;
    private final Channel channel;

    private ControlServer(Path socket, Channel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    public static ControlServer start(EgressProxy proxy, Path socket) throws IOException {
        socket = socket.toAbsolutePath();
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        // Bound inside a fresh 0700 directory, made 0600, then renamed into place: there is no moment at which
        // another user could connect to a socket created under a permissive umask.
        Path privateDir = Files.createTempDirectory(socket.getParent(), ".c",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staging = privateDir.resolve("s");
        ControlApi api = new ControlApi(proxy);
        Channel ch;
        try {
            ch = new ServerBootstrap()
                    .group(proxy.eventLoopGroup())
                    .channel(proxy.transports().domainServerChannel())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(4096, 8192, 64 * 1024));
                            c.pipeline().addLast(new HttpObjectAggregator(1 << 20));
                            c.pipeline().addLast(new Handler(api));
                        }
                    })
                    .bind(new DomainSocketAddress(staging.toFile())).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            Files.deleteIfExists(privateDir);
            throw new IOException("cannot bind the control socket " + socket + ": " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));
            Files.move(staging, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            ch.close().syncUninterruptibly();
            Files.deleteIfExists(staging);
            throw e;
        } finally {
            Files.deleteIfExists(privateDir);
        }
        LOG.info("control API on unix:{}", socket);
        return new ControlServer(socket, ch);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", socket, e.toString());
        }
    }

    /** One per connection: requests are handled off the event loop, one at a time, answered in arrival order. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final Executor VIRTUAL = command -> Thread.ofVirtual().name("egress-control").start(command);

        private final ControlApi api;
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

        Handler(ControlApi api) {
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean ok = req.decoderResult().isSuccess();
            String method = req.method().name();
            String uri = req.uri();
            String body = req.content().toString(StandardCharsets.UTF_8);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            // Reprogramming binds listeners and takes locks: never on the event loop. Pipelined requests wait for
            // the one before, so their effects and answers keep the order they were sent in.
            previous = previous.thenRunAsync(() -> {
                ControlApi.Response r;
                try {
                    r = ok ? api.handle(method, uri, body) : ControlApi.Response.error(400, "malformed request");
                } catch (RuntimeException e) {
                    // Whatever went wrong, the host's client gets an answer instead of a hung request.
                    LOG.warn("control {} {} failed", method, uri, e);
                    r = ControlApi.Response.error(500, "internal error: " + e);
                }
                byte[] bytes = r.json().getBytes(StandardCharsets.UTF_8);
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(bytes));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
                HttpUtil.setKeepAlive(resp, keepAlive);
                var f = ctx.writeAndFlush(resp);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            }, VIRTUAL);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
