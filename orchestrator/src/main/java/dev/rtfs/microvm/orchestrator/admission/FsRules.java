package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.orchestrator.plan.Paths;
import java.util.Optional;

/**
 * Where a step may touch the guest filesystem: anything under {@code /tmp/agent} (the ephemeral tree that
 * holds the step workdirs), and, for reads only, the read-only capability store at {@code /agent/capabilities}.
 */
public final class FsRules {

    public static final String AGENT_TREE = "/tmp/agent";
    public static final String CAPABILITY_STORE = "/agent/capabilities";

    private FsRules() {}

    public static String workdir(int stepIndex) {
        return AGENT_TREE + "/steps/" + stepIndex;
    }

    /** Why {@code path} is refused for the given access, or empty when it is allowed. */
    public static Optional<String> refusal(String path, boolean mayWrite) {
        if (Paths.hasParentSegment(path)) return Optional.of("path " + path + " contains '..'");
        if (!path.startsWith("/")) return Optional.of("path " + path + " is not absolute");
        if (Paths.isUnder(path, AGENT_TREE)) return Optional.empty();
        if (Paths.isUnder(path, CAPABILITY_STORE)) {
            return mayWrite ? Optional.of("path " + path + " is in the read-only capability store; only :read is allowed there")
                    : Optional.empty();
        }
        return Optional.of("path " + path + " is outside " + AGENT_TREE
                + (mayWrite ? "" : " and " + CAPABILITY_STORE));
    }
}
