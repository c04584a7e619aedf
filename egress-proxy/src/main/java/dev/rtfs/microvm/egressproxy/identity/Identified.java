package dev.rtfs.microvm.egressproxy.identity;

/** The answer of an {@link AgentIdentity}: the agent, or why the request proved none (never the token itself). */
public sealed interface Identified {

    record Agent(String agentId) implements Identified {}

    record Refused(AuthFailure cause, String detail) implements Identified {}
}
