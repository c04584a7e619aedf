package dev.rtfs.microvm.egressproxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * Dialing seam: opens a TCP connection to exactly the pinned address the decision produced. Tests replace it
 * with one that records the address and fails instead of dialing.
 */
@FunctionalInterface
public interface Connector {

    /**
     * Connects to {@code pinned} on {@code loop} with {@code handler} installed and auto-read off; the future
     * completes with the connected channel or the failure.
     */
    Future<Channel> connect(InetSocketAddress pinned, EventLoop loop, ChannelHandler handler);
}
