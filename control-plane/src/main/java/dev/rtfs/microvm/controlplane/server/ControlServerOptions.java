package dev.rtfs.microvm.controlplane.server;

/**
 * @param expectedAgentId when non-null, a hello naming another agent is refused (the socket is the identity)
 * @param maxConsecutiveBadFrames the connection is closed after this many rejected frames in a row
 */
public record ControlServerOptions(String expectedAgentId, int maxConsecutiveBadFrames) {
    public ControlServerOptions {
        if (maxConsecutiveBadFrames < 1) throw new IllegalArgumentException("maxConsecutiveBadFrames < 1");
    }

    public static ControlServerOptions defaults() {
        return new ControlServerOptions(null, 16);
    }

    public ControlServerOptions forAgent(String agentId) {
        return new ControlServerOptions(agentId, maxConsecutiveBadFrames);
    }
}
