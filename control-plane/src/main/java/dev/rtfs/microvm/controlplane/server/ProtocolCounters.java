package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.protocol.ProtocolError;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters: frames accepted, frames rejected by reason, connections closed for bad-frame bursts. */
final class ProtocolCounters {
    private final LongAdder accepted = new LongAdder();
    private final Map<ProtocolError, LongAdder> rejected = new EnumMap<>(ProtocolError.class);
    private final LongAdder burstCloses = new LongAdder();
    private final AtomicLong connections = new AtomicLong();

    public ProtocolCounters() {
        for (ProtocolError e : ProtocolError.values()) rejected.put(e, new LongAdder());
    }

    void accepted() {
        accepted.increment();
    }

    void rejected(ProtocolError error) {
        rejected.get(error).increment();
    }

    void burstClose() {
        burstCloses.increment();
    }

    void connection() {
        connections.incrementAndGet();
    }

    public long acceptedFrames() {
        return accepted.sum();
    }

    public long rejectedFrames() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long rejectedFrames(ProtocolError error) {
        return rejected.get(error).sum();
    }

    public long connectionsClosedForBadFrames() {
        return burstCloses.sum();
    }

    public long connections() {
        return connections.get();
    }
}
