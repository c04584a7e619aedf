package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.effect.Covering;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.orchestrator.effect.EffectRow;
import dev.rtfs.microvm.orchestrator.effect.FsEffect;
import dev.rtfs.microvm.orchestrator.effect.NetworkEffect;
import dev.rtfs.microvm.orchestrator.plan.CallSite;
import dev.rtfs.microvm.orchestrator.plan.DeclaredEffect;
import dev.rtfs.microvm.orchestrator.plan.Determinism;
import dev.rtfs.microvm.orchestrator.plan.Plan;
import dev.rtfs.microvm.orchestrator.plan.PlanReading;
import dev.rtfs.microvm.orchestrator.plan.Step;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import dev.rtfs.microvm.orchestrator.profile.StepProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Admission: checks every step of a plan against the plan envelope and the agent policy and
 * reports all problems at once, in deterministic order. A plan is admitted when nothing is an error; only
 * then are its step profiles derived.
 */
public final class Admission {

    private Admission() {}

    /** Admits a plan that was read (the reading's own problems are part of the result). */
    public static AdmissionResult admit(PlanReading reading, AgentPolicy policy) {
        List<Diagnostic> all = new ArrayList<>(reading.diagnostics());
        reading.plan().ifPresent(p -> all.addAll(check(p, policy)));
        all.sort(Diagnostic.ORDER);
        boolean admitted = reading.plan().isPresent() && all.stream().noneMatch(Diagnostic::isError);
        List<StepProfile> profiles = admitted
                ? reading.plan().get().steps().stream().map(s -> StepProfiles.derive(reading.plan().get(), s, policy)).toList()
                : List.of();
        return new AdmissionResult(reading.plan(), all, profiles);
    }

    /** The admission problems of a plan (not its reading problems), sorted. */
    public static List<Diagnostic> check(Plan plan, AgentPolicy policy) {
        List<Diagnostic> out = new ArrayList<>();
        EffectRow.Normalization envelope = EffectRow.normalize(plan.effects().stream().map(DeclaredEffect::effect).toList());
        for (Effect empty : envelope.empties()) {
            Span at = plan.effects().stream().filter(d -> d.effect().kind() == empty.kind()).map(DeclaredEffect::span)
                    .findFirst().orElse(plan.span());
            out.add(error(AdmissionCode.PLAN_SHAPE, "plan.effects." + empty.kind().keyword() + "." + empty.emptyParameter(),
                    "the plan's :" + empty.kind().keyword() + " effect allows nothing: its :" + empty.emptyParameter() + " are empty",
                    "declare one :" + empty.kind().keyword() + " item listing everything the plan needs", at));
        }
        for (Step step : plan.steps()) checkStep(plan, envelope.row(), step, policy, out);
        out.sort(Diagnostic.ORDER);
        return out;
    }

    private static void checkStep(Plan plan, EffectRow envelope, Step step, AgentPolicy policy, List<Diagnostic> out) {
        StepEffects effects = StepEffects.of(step, policy.capabilities());
        out.addAll(effects.problems());
        for (CallSite call : step.calls()) {
            if (call.capability().filter(policy.capabilities()::unknown).isEmpty()) continue;
            out.add(error(AdmissionCode.ADMISSION_CAPABILITY_UNKNOWN, step.path() + ".call",
                    "step \"" + step.name() + "\" calls " + call.label() + ", which is neither a built-in capability nor "
                            + "a package of the image " + policy.capabilities().user().keySet(),
                    "add the package to the image (image build --capabilities DIR), or call a capability it has",
                    call.span()));
        }
        for (StepEffects.Unit unit : effects.units()) {
            Effect e = unit.effect();
            String path = step.path() + ".effects." + e.kind().keyword();
            String what = unit.inferredFrom().isEmpty() ? "the declared :" + e.kind().keyword() + " effect"
                    : "the :" + e.kind().keyword() + " effect inferred from (call :" + unit.inferredFrom() + " …)";
            if (!envelope.allows(e)) {
                out.add(error(AdmissionCode.ADMISSION_EFFECT_NOT_IN_PLAN, path,
                        "step \"" + step.name() + "\": " + what + " is not within the plan's :effects",
                        envelope.has(e.kind()) ? "widen the plan's :" + e.kind().keyword() + " item or narrow the step's"
                                : "add a :" + e.kind().keyword() + " item to the plan's :effects",
                        unit.span()));
            }
            switch (e) {
                case NetworkEffect n -> network(step, n, what, path, unit.span(), policy, out);
                case FsEffect f -> fs(step, f, path, unit.span(), out);
                default -> { }
            }
            switch (e.kind()) {
                case LLM -> {
                    if (!policy.llmEnabled()) out.add(error(AdmissionCode.ADMISSION_LLM_DISABLED, path,
                            "step \"" + step.name() + "\" uses :llm but the agent's :capabilities :llm is not enabled",
                            "set :capabilities {:llm {:enabled true}} in the agent config, or drop the step", unit.span()));
                }
                case GPU -> {
                    if (!policy.gpuEnabled()) out.add(error(AdmissionCode.ADMISSION_GPU_DISABLED, path,
                            "step \"" + step.name() + "\" uses :gpu but the agent's :capabilities :gpu is not enabled",
                            "set :capabilities {:gpu {:enabled true}} in the agent config, or drop the step", unit.span()));
                }
                case RANDOM -> {
                    Determinism d = plan.determinism();
                    if (d.random() == Determinism.Mode.DETERMINISTIC && d.seed().isEmpty()) {
                        out.add(error(AdmissionCode.ADMISSION_RANDOM_UNSEEDED, path,
                                "step \"" + step.name() + "\" draws randomness but the plan's random is deterministic without a seed",
                                "give the plan a seed: :determinism {:random {:seed \"0x2a\"}}", unit.span()));
                    }
                }
                default -> { }
            }
        }
    }

    private static void network(Step step, NetworkEffect n, String what, String path, Span at, AgentPolicy policy,
                                List<Diagnostic> out) {
        if (!policy.egressPossible()) {
            String off = !policy.networkEnabled() ? "the agent's network is disabled (:network :enabled / :egress :via :proxy)"
                    : "the agent's NIC is disabled (:microvm :devices :nic :enabled)";
            out.add(error(AdmissionCode.ADMISSION_NETWORK_DISABLED, path,
                    "step \"" + step.name() + "\" needs the network but " + off,
                    "enable proxied egress in the agent config, or drop the network step", at));
            return;
        }
        if (n.domains().unconstrained()) {
            out.add(error(AdmissionCode.ADMISSION_DOMAIN_DENIED, path + ".domains",
                    "step \"" + step.name() + "\": " + what + " names no :domains, so it would reach any host",
                    "list the hosts: [:network {:domains [\"" + policy.allowDomains().stream().findFirst().orElse("example.com")
                            + "\"]}]", at));
            return;
        }
        for (String domain : n.domains().values()) {
            if (policy.allowDomains().stream().noneMatch(a -> Covering.DOMAINS.covers(a, domain))) {
                out.add(error(AdmissionCode.ADMISSION_DOMAIN_DENIED, path + ".domains",
                        "step \"" + step.name() + "\": domain " + domain + " is not in the agent's allow-domains "
                                + policy.allowDomains(),
                        "add it to :network :egress :allow-domains, or remove it from the step", at));
            }
        }
    }

    private static void fs(Step step, FsEffect f, String path, Span at, List<Diagnostic> out) {
        if (f.paths().unconstrained()) {
            out.add(error(AdmissionCode.ADMISSION_FS_DENIED, path + ".paths",
                    "step \"" + step.name() + "\": the :fs effect names no :paths, so it would reach the whole filesystem",
                    "list the paths under " + FsRules.AGENT_TREE + ", e.g. [:fs {:paths [\"" + FsRules.workdir(step.index())
                            + "\"] :modes [:write]}]", at));
            return;
        }
        for (String p : f.paths().values()) {
            Optional<String> refusal = FsRules.refusal(p, f.mayWrite());
            refusal.ifPresent(r -> out.add(error(AdmissionCode.ADMISSION_FS_DENIED, path + ".paths",
                    "step \"" + step.name() + "\": " + r,
                    "use a path under " + FsRules.AGENT_TREE + " (the step workdir is " + FsRules.workdir(step.index()) + ")",
                    at)));
        }
    }

    private static Diagnostic error(AdmissionCode code, String path, String message, String suggestion, Span span) {
        return Diagnostic.error(code, path, message, suggestion, span);
    }
}
