package dev.rtfs.microvm.egressproxy.control;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-only control API: HTTP/1.1 over a Unix domain socket (mode 0600), so only the host user that runs
 * the proxy can reprogram it. Routes are in {@link ControlApi}; try {@code curl --unix-socket PATH http://x/health}.
 */
public final class ControlApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApiServer.class);

    /** Connections the kernel queues before they are accepted. */
    public static final int BACKLOG = 128;
    /** Connections served at once; one more is closed on accept. */
    public static final int MAX_CONNECTIONS = 64;
    /** Requests read ahead on one connection while earlier ones are handled; reading pauses past it. */
    public static final int MAX_PIPELINED = 16;
    public static final int MAX_INITIAL_LINE = 4096;
    public static final int MAX_HEADER_BYTES = 8192;
    /** A request body (an ACL document); larger ones get 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** A connection with no traffic either way for this long is closed. */
    public static final int IDLE_SECONDS = 60;

    private final Path socket;
    private final Channel channel;
    private final Object fileKey;

    private ControlApiServer(Path socket, Channel channel, Object fileKey) {
        this.socket = socket;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    public static ControlApiServer start(EgressProxy proxy, Path socket) throws IOException {
        socket = socket.toAbsolutePath();
        Files.createDirectories(socket.getParent());
        // Only a socket nothing listens on is removed: never a file that is not ours, never a live proxy's socket.
        StaleSocket.clear(socket);
        // Bound inside a fresh 0700 directory, made 0600, then renamed into place: there is no moment at which
        // another user could connect to a socket created under a permissive umask.
        Path privateDir = Files.createTempDirectory(socket.getParent(), ".c",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staging = privateDir.resolve("s");
        ControlApi api = new ControlApi(proxy);
        AtomicInteger open = new AtomicInteger();
        ChannelFuture bind = new ServerBootstrap()
                .group(proxy.eventLoopGroup())
                .channel(proxy.transports().domainServerChannel())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            LOG.warn("control API: {} connections open, closing a new one", MAX_CONNECTIONS);
                            c.close();
                            return;
                        }
                        c.closeFuture().addListener(f -> open.decrementAndGet());
                        c.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
                        c.pipeline().addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 64 * 1024));
                        c.pipeline().addLast(new InOrderAggregator(MAX_BODY_BYTES));
                        c.pipeline().addLast(new Handler(api));
                    }
                })
                .bind(new DomainSocketAddress(staging.toFile())).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            bind.channel().close();
            Files.deleteIfExists(staging);
            Files.deleteIfExists(privateDir);
            throw new IOException("cannot bind the control socket " + socket + ": " + bind.cause().getMessage(),
                    bind.cause());
        }
        Channel ch = bind.channel();
        Object fileKey;
        try {
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));
            Files.move(staging, socket, StandardCopyOption.ATOMIC_MOVE);
            fileKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            ch.close().syncUninterruptibly();
            Files.deleteIfExists(staging);
            throw e;
        } finally {
            Files.deleteIfExists(privateDir);
        }
        LOG.info("control API on unix:{}", socket);
        return new ControlApiServer(socket, ch, fileKey);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        try {
            // Only the socket this server created: if the path was replaced since, it is someone else's.
            Object now = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey != null && fileKey.equals(now)) {
                Files.deleteIfExists(socket);
            } else {
                LOG.warn("not removing {}: it is no longer the control socket this proxy created", socket);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", socket, e.toString());
        }
    }

    /** A request whose body passed {@link #MAX_BODY_BYTES}: answered 413 in its turn, like every other. */
    private record Oversized(String method, String uri, boolean keepAlive) {}

    /**
     * Netty's aggregator answers an oversized body itself, ahead of answers still being computed for earlier
     * pipelined requests; this one hands it on so the handler answers it in order.
     */
    private static final class InOrderAggregator extends HttpObjectAggregator {
        InOrderAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            HttpRequest req = (HttpRequest) oversized;
            ctx.fireChannelRead(new Oversized(req.method().name(), req.uri(), HttpUtil.isKeepAlive(req)));
        }
    }

    /**
     * One per connection: requests are handled off the event loop, one at a time, answered in arrival order. Every
     * request gets an answer whatever its handling throws, and at most {@link #MAX_PIPELINED} wait at once.
     */
    private static final class Handler extends SimpleChannelInboundHandler<Object> {
        private static final Executor VIRTUAL = command -> Thread.ofVirtual().name("egress-control").start(command);

        private final ControlApi api;
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
        private int waiting; // event loop only

        Handler(ControlApi api) {
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            ControlApi.Response fixed;
            String method;
            String uri;
            String body;
            boolean keepAlive;
            if (msg instanceof FullHttpRequest req) {
                fixed = req.decoderResult().isSuccess() ? null : ControlApi.Response.error(400, "malformed request");
                method = req.method().name();
                uri = req.uri();
                body = req.content().toString(StandardCharsets.UTF_8);
                keepAlive = HttpUtil.isKeepAlive(req) && fixed == null;
            } else if (msg instanceof Oversized o) {
                fixed = ControlApi.Response.error(413, "request body over " + MAX_BODY_BYTES + " bytes");
                method = o.method();
                uri = o.uri();
                body = "";
                keepAlive = o.keepAlive();
            } else {
                return;
            }
            if (++waiting >= MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(false); // backpressure: the client waits, memory stays bounded
            }
            // Reprogramming binds listeners and takes locks: never on the event loop. Pipelined requests wait for
            // the one before, so their effects and answers keep the order they were sent in. The chain never
            // completes exceptionally (answer() catches everything), so one bad request cannot stall the rest.
            previous = previous.thenRunAsync(() -> {
                ControlApi.Response r = fixed != null ? fixed : answer(method, uri, body);
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
                ctx.executor().execute(() -> {
                    if (--waiting < MAX_PIPELINED && !ctx.channel().config().isAutoRead()) {
                        ctx.channel().config().setAutoRead(true);
                    }
                });
            }, VIRTUAL);
        }

        private ControlApi.Response answer(String method, String uri, String body) {
            try {
                return api.handle(method, uri, body);
            } catch (Throwable e) {
                // Whatever went wrong (even a checked exception thrown sneakily), the client gets an answer.
                LOG.warn("control {} {} failed", method, uri, e);
                return ControlApi.Response.error(500, "internal error: " + e);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
