package dev.rtfs.microvm.egress.server;

import dev.rtfs.microvm.egress.observe.DecisionRecord;
import dev.rtfs.microvm.egress.observe.DecisionSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans each decision out to SLF4J and every sink; a failing sink is logged, never propagated to traffic. */
public final class DecisionLog implements DecisionSink {

    private static final Logger LOG = LoggerFactory.getLogger("dev.rtfs.microvm.egress.decision");

    private final List<DecisionSink> sinks;

    public DecisionLog(List<DecisionSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void accept(DecisionRecord record) {
        LOG.info(record.toLogLine());
        for (DecisionSink s : sinks) {
            try {
                s.accept(record);
            } catch (RuntimeException e) {
                LOG.warn("decision sink {} failed: {}", s, e.toString());
            }
        }
    }
}
