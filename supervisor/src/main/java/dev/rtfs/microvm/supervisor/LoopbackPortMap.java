package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.egressproxy.server.Connector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's dialing: an allowed decision for port {@code p} of a loopback address dials {@code ports.get(p)}
 * instead, so a plan's {@code https://example.com/} (port 443) reaches an origin on an ephemeral loopback port
 * without privileges. The decision (and the chain) keep the port the guest asked for; any other address is dialed
 * as decided.
 */
record LoopbackPortMap(Map<Integer, Integer> ports, Connector dialer) implements Connector {

    LoopbackPortMap {
        ports = Map.copyOf(ports);
        Objects.requireNonNull(dialer);
    }

    @Override
    public Future<Channel> connect(InetSocketAddress pinned, EventLoop loop, ChannelHandler handler) {
        Integer to = pinned.isUnresolved() || !pinned.getAddress().isLoopbackAddress() ? null : ports.get(pinned.getPort());
        return dialer.connect(to == null ? pinned : new InetSocketAddress(pinned.getAddress(), to), loop, handler);
    }
}
