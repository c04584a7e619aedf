package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The kept-alive HTTP/1.1-over-TLS origin connections the streams of one intercepted h2 connection share. A stream
 * takes an idle connection (already verified: chain, name, pin, client certificate) for the address it was pinned
 * to and the TLS rules it was verified under, or dials one while fewer than {@code maxOpen} are open and fewer than
 * {@code maxDialing} handshakes are in flight, or else waits for a connection to come back, finish its handshake or
 * close (an idle one of another key is closed to make room). Bounding the dials in flight, not only the open
 * connections, is what makes a burst of streams share a few connections instead of dialing one each. A connection whose
 * response ended kept-alive comes back and waits for the next stream, as an HTTP/1.1 client connection keeps its
 * origin connection: under load responses end in bursts before the guest's next streams arrive, and capping the
 * idle ones below the open ones closed connections the next streams then dialed again (measured: a TLS handshake
 * every few requests). An idle connection that reads anything or reaches the idle timeout is closed (it is not
 * usable any more); all close with the tunnel. Confined to the h2 connection's event
 * loop, which its streams and the origin connections share.
 */
final class UpstreamPool {

    /** The pipeline name of the handler a connection's current user (or the pool, while idle) installs. */
    static final String USER = "upstream-user";

    /** What makes two origin connections interchangeable. */
    record Key(InetSocketAddress address, TlsRules tls) {
    }

    static final long GROWTH_DELAY_MILLIS = 100;

    private final int maxOpen;
    private final int maxDialing;
    private final Map<Key, ArrayDeque<Channel>> idle = new HashMap<>();
    private final Set<Channel> open = new HashSet<>();
    private final Set<Channel> dialing = new HashSet<>();
    /** Streams waiting for a connection: each retries its forward when one comes back or closes. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean closed;

    UpstreamPool(int maxOpen, int maxDialing) {
        this.maxOpen = maxOpen;
        this.maxDialing = maxDialing;
    }

    /** An idle, still open connection for {@code key}, now the caller's; empty when none waits. */
    Optional<Channel> take(Key key) {
        ArrayDeque<Channel> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            Channel ch = q.pollLast();
            if (ch.isActive()) {
                return Optional.of(ch);
            }
        }
        return Optional.empty();
    }

    /**
     * True when one more connection may be dialed (the tunnel is open and under its bound); at the bound, an idle
     * connection of another key is closed so that a waiting stream can dial when it is gone.
     */
    boolean mayDial() {
        if (closed) {
            return false;
        }
        if (dialing.size() >= maxDialing) {
            return false;
        }
        if (open.size() < maxOpen) {
            return true;
        }
        for (ArrayDeque<Channel> q : idle.values()) {
            Channel spare = q.pollFirst();
            if (spare != null) {
                spare.close();
                break;
            }
        }
        return false;
    }

    /** True once the tunnel ended: a waiting stream gives up. */
    boolean closed() {
        return closed;
    }

    /** At the bound: {@code retry} runs (on the event loop) when a connection comes back or closes. */
    void await(Runnable retry) {
        waiting.addLast(retry);
    }

    /** A connection the caller is dialing: counted until it closes, and as a dial until {@link #ready}. */
    void opened(Channel ch) {
        open.add(ch);
        dialing.add(ch);
        ch.closeFuture().addListener(f -> {
            open.remove(ch);
            dialing.remove(ch);
            idle.values().forEach(q -> q.remove(ch));
            wakeOne(ch);
        });
        if (closed) {
            ch.close();
        }
    }

    /**
     * The connection's handshake completed: a dial slot is free. A waiting stream is woken to use it only after
     * {@link #GROWTH_DELAY_MILLIS}: a burst of short exchanges is served by the connections coming back meanwhile,
     * and only streams behind slow ones make the pool grow.
     */
    void ready(Channel ch) {
        if (dialing.remove(ch)) {
            ch.eventLoop().schedule(() -> {
                if (!closed) {
                    wakeOne(ch);
                }
            }, GROWTH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** A woken stream that no longer waits (it ended meanwhile) passes its turn on. */
    void passOn(Channel on) {
        wakeOne(on);
    }

    private void wakeOne(Channel on) {
        Runnable next = waiting.pollFirst();
        if (next != null) {
            on.eventLoop().execute(next); // not inside the handler that gave the connection back
        }
    }

    /** A connection whose exchange ended kept-alive: parked for the next stream. */
    void giveBack(Key key, Channel ch) {
        if (closed || !ch.isActive()) {
            ch.close();
            return;
        }
        ch.pipeline().replace(USER, USER, Parked.INSTANCE);
        ch.config().setAutoRead(true); // a close or stray bytes must be seen while it waits
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(ch);
        wakeOne(ch);
    }

    /** The tunnel ended: every connection closes, none is dialed any more. */
    void closeAll() {
        closed = true;
        List<Channel> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        all.forEach(Channel::close);
        waiting.clear();
    }

    /** An idle connection: anything it reads, its idle timeout or an error ends it. */
    @ChannelHandler.Sharable
    private static final class Parked extends ChannelInboundHandlerAdapter {
        static final Parked INSTANCE = new Parked();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
