package dev.rtfs.microvm.egressproxy.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} decisions, newest last, for the control API. */
public final class RecentDecisions implements DecisionSink {

    private final int capacity;
    private final ArrayDeque<DecisionRecord> ring;

    public RecentDecisions(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    @Override
    public synchronized void accept(DecisionRecord record) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(record);
    }

    public synchronized List<DecisionRecord> last(int limit) {
        List<DecisionRecord> all = new ArrayList<>(ring);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }
}
