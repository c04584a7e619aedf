package dev.rtfs.microvm.egresspolicy.decision;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import java.util.Optional;

/**
 * The rules in force for one agent at one moment: its agent ACL intersected with the current step ACL. A host,
 * method or port passes only if both allow it; size caps are the smaller, DLP the stricter, and both rate buckets
 * must have a token. {@code allow_ranges} of a step narrow the agent's when the step names any; a step with no
 * ranges inherits the agent's (ranges describe where the deployment's names point, not what a step may reach).
 * Between two steps of a plan everything is denied.
 */
public record EffectiveRules(String agentId, CompiledAcl agent, Optional<CompiledAcl> step, boolean betweenSteps) {

    public static EffectiveRules agentOnly(CompiledAcl agent) {
        return new EffectiveRules(agent.acl().agentId(), agent, Optional.empty(), false);
    }

    public Optional<String> stepName() {
        return step.flatMap(s -> s.acl().step());
    }

    public boolean allowsHost(String host) {
        return agent.allowsHost(host) && step.map(s -> s.allowsHost(host)).orElse(true);
    }

    public boolean allowsMethod(String method) {
        return agent.allowsMethod(method) && step.map(s -> s.allowsMethod(method)).orElse(true);
    }

    public boolean allowsPort(int port) {
        return agent.allowsPort(port) && step.map(s -> s.allowsPort(port)).orElse(true);
    }

    public boolean rangeAllows(IpAddress address) {
        return agent.rangeAllows(address)
                && step.map(s -> !s.hasRanges() || s.rangeAllows(address)).orElse(true);
    }

    public DlpMode dlp() {
        return step.map(s -> DlpMode.stricter(agent.dlp(), s.dlp())).orElse(agent.dlp());
    }

    public long maxRequestBytes() {
        return Math.min(agent.acl().maxRequestBytes(), step.map(s -> s.acl().maxRequestBytes()).orElse(Long.MAX_VALUE));
    }

    public long maxResponseBytes() {
        return Math.min(agent.acl().maxResponseBytes(), step.map(s -> s.acl().maxResponseBytes()).orElse(Long.MAX_VALUE));
    }

    /**
     * TLS handling of tunnels: the agent ACL's rules (passthrough, pins, CA and client certificates are the
     * deployment's), with interception if either the agent or the step asks for it (the stricter mode).
     */
    public TlsRules tls() {
        TlsRules a = agent.acl().tls();
        return step.map(s -> a.withMode(TlsMode.stricter(a.mode(), s.acl().tls().mode()))).orElse(a);
    }

    /** The agent's held secrets: a step has none of its own and inherits the agent's {@code inject_headers}. */
    public HeldSecrets held() {
        return agent.held();
    }

    /** Client connections the agent may hold open: the agent ACL's cap (a listener belongs to the agent, not a step). */
    public int maxConnections() {
        return agent.acl().maxConnections();
    }

    /** Takes a token from the agent's and the step's bucket; false when either is empty. */
    public boolean tryTakeToken() {
        boolean agentOk = agent.bucket().map(TokenBucket::tryTake).orElse(true);
        boolean stepOk = step.flatMap(CompiledAcl::bucket).map(TokenBucket::tryTake).orElse(true);
        return agentOk && stepOk;
    }

    public long retryAfterSeconds() {
        long a = agent.bucket().map(TokenBucket::secondsUntilToken).orElse(1L);
        long s = step.flatMap(CompiledAcl::bucket).map(TokenBucket::secondsUntilToken).orElse(1L);
        return Math.max(a, s);
    }
}
