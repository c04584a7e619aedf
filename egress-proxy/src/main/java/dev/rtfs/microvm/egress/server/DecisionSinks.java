package dev.rtfs.microvm.egress.server;

import dev.rtfs.microvm.egress.observe.DecisionSink;
import java.util.List;

/** Factory for the proxy's logging fan-out sink. */
public final class DecisionSinks {

    private DecisionSinks() {}

    /** Logs every record to SLF4J, then hands it to each of {@code sinks}. */
    public static DecisionSink logging(List<DecisionSink> sinks) {
        return new DecisionLog(sinks);
    }
}
