package dev.rtfs.microvm.orchestrator.profile;

import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.admission.FsRules;
import dev.rtfs.microvm.orchestrator.admission.StepEffects;
import dev.rtfs.microvm.orchestrator.effect.Covering;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import dev.rtfs.microvm.orchestrator.effect.EffectRow;
import dev.rtfs.microvm.orchestrator.effect.FsEffect;
import dev.rtfs.microvm.orchestrator.effect.NetworkEffect;
import dev.rtfs.microvm.orchestrator.plan.Determinism;
import dev.rtfs.microvm.orchestrator.plan.Plan;
import dev.rtfs.microvm.orchestrator.plan.Step;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * {@code derive_step_profile(plan, step, policy)}: the profile a step runs with. Meant for admitted plans;
 * on any other input it still never grants more than the agent policy allows (domains outside the
 * allowlist and refused paths are dropped), so a profile can never exceed the agent config.
 */
public final class StepProfiles {

    /** The capability store is always mounted read-only (MICROVM_CAPS_MOUNT_RO). */
    public static final String CAPABILITIES_MOUNT = "ro";

    private StepProfiles() {}

    public static StepProfile derive(Plan plan, Step step, AgentPolicy policy) {
        EffectRow row = StepEffects.of(step, policy.capabilities()).row();
        return new StepProfile(step.name(), step.index(),
                networkAcl(row, policy),
                fsPolicy(row, step),
                determinism(row, plan.determinism()),
                new StepProfile.FeatureGates(row.has(EffectKind.LLM) && policy.llmEnabled(),
                        row.has(EffectKind.GPU) && policy.gpuEnabled()),
                new StepProfile.Limits(minOf(step.maxTimeMs(), plan.maxTimeMs())));
    }

    private static StepProfile.NetworkAcl networkAcl(EffectRow row, AgentPolicy policy) {
        Optional<NetworkEffect> net = row.get(EffectKind.NETWORK).map(NetworkEffect.class::cast);
        if (net.isEmpty() || !policy.egressPossible() || net.get().domains().unconstrained()) {
            return StepProfile.NetworkAcl.denyAll(policy.dlp());
        }
        NetworkEffect n = net.get();
        List<String> domains = n.domains().coveredPart(policy.allowDomains(), Covering.DOMAINS);
        if (domains.isEmpty()) return StepProfile.NetworkAcl.denyAll(policy.dlp());
        // Undeclared methods get the proxy's strict default rather than "any".
        List<String> methods = n.methods().unconstrained() ? List.of("GET") : n.methods().values();
        TreeSet<Integer> ports = new TreeSet<>(List.of(443));
        if (!n.ports().unconstrained()) ports.addAll(n.ports().values());
        return new StepProfile.NetworkAcl(domains, methods, List.copyOf(ports), policy.dlp(), policy.tls());
    }

    private static StepProfile.FsPolicy fsPolicy(EffectRow row, Step step) {
        List<String> paths = row.get(EffectKind.FS).map(FsEffect.class::cast)
                .filter(f -> !f.paths().unconstrained())
                .map(f -> f.paths().values().stream().filter(p -> FsRules.refusal(p, f.mayWrite()).isEmpty()).toList())
                .orElse(List.of());
        return new StepProfile.FsPolicy(FsRules.workdir(step.index()), CAPABILITIES_MOUNT, paths);
    }

    private static StepProfile.DeterminismProfile determinism(EffectRow row, Determinism d) {
        // Only a step that draws randomness gets the seed; the clock policy applies to every step.
        boolean seeded = row.has(EffectKind.RANDOM) && d.random() == Determinism.Mode.DETERMINISTIC && d.seed().isPresent();
        return new StepProfile.DeterminismProfile(d.time().label(),
                seeded ? Determinism.Mode.DETERMINISTIC.label() : Determinism.Mode.REAL.label(),
                seeded ? d.seed() : Optional.empty(), d.startMs());
    }

    private static OptionalLong minOf(OptionalLong a, OptionalLong b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
    }
}
