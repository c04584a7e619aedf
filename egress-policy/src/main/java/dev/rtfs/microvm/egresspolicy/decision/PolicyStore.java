package dev.rtfs.microvm.egresspolicy.decision;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * All agents' rules as one immutable snapshot behind an {@link AtomicReference}. Readers (every request) take
 * the current snapshot without locking; writers (the control API) build a new snapshot and swap it, so a request
 * sees either the old or the new rules, never a mix, and open connections are not touched at all.
 */
public final class PolicyStore {

    /** Where an agent stands in a plan. */
    public enum Phase {
        NO_PLAN,
        IN_STEP,
        BETWEEN_STEPS
    }

    /** One agent's compiled rules. */
    public record AgentState(CompiledAcl agent, Optional<CompiledAcl> step, Phase phase) {
        public EffectiveRules rules() {
            return new EffectiveRules(agent.acl().agentId(), agent, phase == Phase.IN_STEP ? step : Optional.empty(),
                    phase == Phase.BETWEEN_STEPS);
        }
    }

    private final AtomicReference<Map<String, AgentState>> snapshot = new AtomicReference<>(Map.of());
    /** ServiceAccount "namespace/name" to agent id, rebuilt with each agent put or removal. */
    private final AtomicReference<Map<String, String>> byServiceAccount = new AtomicReference<>(Map.of());
    private final LongSupplier nanoClock;

    public PolicyStore(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public Optional<EffectiveRules> rules(String agentId) {
        AgentState s = snapshot.get().get(agentId);
        return s == null ? Optional.empty() : Optional.of(s.rules());
    }

    /** The agent whose ACL names ServiceAccount {@code namespaceSlashName}, if any. */
    public Optional<String> agentForServiceAccount(String namespaceSlashName) {
        return Optional.ofNullable(byServiceAccount.get().get(namespaceSlashName));
    }

    public Optional<AgentState> state(String agentId) {
        return Optional.ofNullable(snapshot.get().get(agentId));
    }

    public Map<String, AgentState> all() {
        return snapshot.get();
    }

    /** Puts or replaces an agent's ACL, keeping its plan phase, step ACL and (if the rate is unchanged) its bucket. */
    public void putAgent(AgentAcl acl) {
        putAgent(acl, HeldSecrets.NONE);
    }

    /**
     * As {@link #putAgent(AgentAcl)}, with the secrets its {@code inject_headers} resolved to: the ACL and its
     * secrets are swapped in together, so no request sees one without the other.
     */
    public synchronized void putAgent(AgentAcl acl, HeldSecrets held) {
        Map<String, AgentState> next = new HashMap<>(snapshot.get());
        AgentState prev = next.get(acl.agentId());
        CompiledAcl compiled = CompiledAcl.recompile(acl, held, prev == null ? null : prev.agent(), nanoClock);
        next.put(acl.agentId(), prev == null
                ? new AgentState(compiled, Optional.empty(), Phase.NO_PLAN)
                : new AgentState(compiled, prev.step(), prev.phase()));
        snapshot.set(Map.copyOf(next));
        indexServiceAccounts(next);
    }

    public synchronized boolean removeAgent(String agentId) {
        Map<String, AgentState> next = new HashMap<>(snapshot.get());
        boolean had = next.remove(agentId) != null;
        snapshot.set(Map.copyOf(next));
        indexServiceAccounts(next);
        return had;
    }

    private void indexServiceAccounts(Map<String, AgentState> agents) {
        Map<String, String> index = new HashMap<>();
        agents.forEach((id, s) -> s.agent().acl().serviceAccount().ifPresent(sa -> index.putIfAbsent(sa, id)));
        byServiceAccount.set(Map.copyOf(index));
    }

    /** Makes {@code stepAcl} the current step of its agent; the agent must be known. */
    public synchronized void setStep(String agentId, AgentAcl stepAcl) {
        AgentState prev = require(agentId);
        if (!stepAcl.agentId().equals(agentId)) {
            throw new IllegalArgumentException("step ACL is for agent \"" + stepAcl.agentId() + "\", not \"" + agentId + "\"");
        }
        CompiledAcl step = CompiledAcl.compile(stepAcl, nanoClock);
        swap(agentId, new AgentState(prev.agent(), Optional.of(step), Phase.IN_STEP));
    }

    /** Ends the current step: deny-all until the next {@link #setStep} or {@link #endPlan}. */
    public synchronized void clearStep(String agentId) {
        AgentState prev = require(agentId);
        swap(agentId, new AgentState(prev.agent(), Optional.empty(), Phase.BETWEEN_STEPS));
    }

    /** Leaves the plan: the agent ACL alone applies again. */
    public synchronized void endPlan(String agentId) {
        AgentState prev = require(agentId);
        swap(agentId, new AgentState(prev.agent(), Optional.empty(), Phase.NO_PLAN));
    }

    private AgentState require(String agentId) {
        AgentState s = snapshot.get().get(agentId);
        if (s == null) {
            throw new IllegalArgumentException("unknown agent \"" + agentId + "\"");
        }
        return s;
    }

    private void swap(String agentId, AgentState state) {
        Map<String, AgentState> next = new HashMap<>(snapshot.get());
        next.put(agentId, state);
        snapshot.set(Map.copyOf(next));
    }
}
