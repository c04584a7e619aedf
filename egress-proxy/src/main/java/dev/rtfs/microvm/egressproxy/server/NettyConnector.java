package dev.rtfs.microvm.egressproxy.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;

/** The real connector: a Netty client bootstrap on the caller's event loop. */
public final class NettyConnector implements Connector {

    private final Transports transports;
    private final Duration connectTimeout;

    public NettyConnector(Transports transports, Duration connectTimeout) {
        this.transports = transports;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Future<Channel> connect(InetSocketAddress pinned, EventLoop loop, ChannelHandler handler) {
        if (pinned.isUnresolved()) {
            return loop.newFailedFuture(new IllegalArgumentException("refusing to dial an unresolved address"));
        }
        Promise<Channel> promise = loop.newPromise();
        ChannelFuture f = new Bootstrap()
                .group(loop)
                .channel(transports.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                // Bounded buffering per direction: at most the high water mark is queued before reading pauses.
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
                .handler(handler)
                .connect(pinned);
        f.addListener(done -> {
            if (done.isSuccess()) {
                promise.trySuccess(f.channel());
            } else {
                promise.tryFailure(done.cause());
            }
        });
        return promise;
    }
}
