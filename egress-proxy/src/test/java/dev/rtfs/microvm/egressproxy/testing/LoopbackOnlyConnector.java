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
 * Dials loopback addresses for real (the test origins live there) and records-and-refuses everything else, so
 * no test can open a connection off this machine whatever the proxy decides.
 */
public final class LoopbackOnlyConnector implements Connector {

    private final Connector real;
    private final List<InetSocketAddress> dialed = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> refused = new CopyOnWriteArrayList<>();

    public LoopbackOnlyConnector(Connector real) {
        this.real = real;
    }

    @Override
    public Future<Channel> connect(InetSocketAddress pinned, EventLoop loop, ChannelHandler handler) {
        if (pinned.getAddress() != null && pinned.getAddress().isLoopbackAddress()) {
            dialed.add(pinned);
            return real.connect(pinned, loop, handler);
        }
        refused.add(pinned);
        return loop.newFailedFuture(new IllegalStateException("test connector: refusing non-loopback " + pinned));
    }

    public List<InetSocketAddress> dialed() {
        return dialed;
    }

    /** Non-loopback addresses the proxy tried to reach (a test of a denial expects none). */
    public List<InetSocketAddress> refused() {
        return refused;
    }
}
