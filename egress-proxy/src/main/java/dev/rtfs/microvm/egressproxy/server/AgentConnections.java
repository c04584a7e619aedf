package dev.rtfs.microvm.egressproxy.server;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client connections of one agent's listener, counted against the agent's {@code max_connections} so one agent
 * cannot take the process's file descriptors from the others. A connection past the cap is held only to answer
 * 503, and at most {@link #MAX_REFUSING} such connections are held at once; past that they are closed on accept.
 */
public final class AgentConnections {

    /** Over-cap connections held at once while they wait for a request head to answer with 503. */
    public static final int MAX_REFUSING = 32;

    private final ChannelGroup all;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger refusing = new AtomicInteger();

    public AgentConnections(String agentId) {
        this.all = new DefaultChannelGroup(agentId, GlobalEventExecutor.INSTANCE);
    }

    /** Counts {@code ch} in while fewer than {@code cap} are open: true, and it is counted until it closes. */
    boolean tryAdmit(Channel ch, int cap) {
        return tryHold(ch, open, cap);
    }

    /** Holds an over-cap connection for its 503 while fewer than {@link #MAX_REFUSING} are held. */
    boolean tryHoldRefusal(Channel ch) {
        return tryHold(ch, refusing, MAX_REFUSING);
    }

    private boolean tryHold(Channel ch, AtomicInteger counter, int cap) {
        all.add(ch);
        if (counter.incrementAndGet() > cap) {
            counter.decrementAndGet();
            return false;
        }
        ch.closeFuture().addListener(f -> counter.decrementAndGet());
        return true;
    }

    /** Admitted connections open right now. */
    public int open() {
        return open.get();
    }

    public ChannelGroupFuture closeAll() {
        return all.close();
    }
}
