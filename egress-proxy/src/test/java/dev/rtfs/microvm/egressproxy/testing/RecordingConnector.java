package dev.rtfs.microvm.egressproxy.testing;

import dev.rtfs.microvm.egressproxy.server.Connector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connector that never dials: it records the address the proxy asked for and fails the connection. Tests of
 * non-loopback decisions use it so that a regression can never send a packet off the machine.
 */
public final class RecordingConnector implements Connector {

    private final List<InetSocketAddress> asked = new CopyOnWriteArrayList<>();

    @Override
    public Future<Channel> connect(InetSocketAddress pinned, EventLoop loop, ChannelHandler handler) {
        asked.add(pinned);
        return loop.newFailedFuture(new IllegalStateException("recording connector: refusing to dial " + pinned));
    }

    public List<InetSocketAddress> asked() {
        return asked;
    }
}
