package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import dev.rtfs.microvm.orchestrator.effect.EffectRow;
import dev.rtfs.microvm.orchestrator.effect.EffectText;
import dev.rtfs.microvm.orchestrator.plan.CallSite;
import dev.rtfs.microvm.orchestrator.plan.CapabilityContracts;
import dev.rtfs.microvm.orchestrator.plan.DeclaredEffect;
import dev.rtfs.microvm.orchestrator.plan.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The effects a step has. Declared items of one kind are constraints that must all hold, so they merge by
 * intersection (normalization); the inferred effects of several calls compose, so they merge by union.
 *
 * @param row      the step's effective row
 * @param units    what admission checks, each with the position to report: one per kind for a declared
 *                 row (at its first item), one per inferred call effect (at the call)
 * @param problems ADMISSION_UNDECLARED_CALL for calls of an unannotated step without a contract or literal
 *                 arguments, and for literal calls of an annotated step that go beyond its declaration;
 *                 PLAN_SHAPE for declared kinds whose items allow nothing together
 */
public record StepEffects(EffectRow row, List<Unit> units, List<Diagnostic> problems) {

    public StepEffects {
        units = List.copyOf(units);
        problems = List.copyOf(problems);
    }

    /** One effect with the place it was written or inferred. */
    public record Unit(Effect effect, Span span, String inferredFrom) {}

    public static StepEffects of(Step step) {
        return of(step, CapabilityCatalog.OPEN);
    }

    /** The step's effects, user capabilities' taken from their manifests in {@code catalog}. */
    public static StepEffects of(Step step, CapabilityCatalog catalog) {
        return step.annotated() ? declared(step, catalog) : inferred(step, catalog);
    }

    private static StepEffects declared(Step step, CapabilityCatalog catalog) {
        EffectRow.Normalization n = EffectRow.normalize(step.declared().stream().map(DeclaredEffect::effect).toList());
        List<Unit> units = new ArrayList<>();
        for (Effect e : n.row().effects()) units.add(new Unit(e, firstSpan(step, e.kind()), ""));
        List<Diagnostic> problems = new ArrayList<>();
        for (Effect empty : n.empties()) {
            problems.add(Diagnostic.error(AdmissionCode.PLAN_SHAPE,
                    step.path() + ".effects." + empty.kind().keyword() + "." + empty.emptyParameter(),
                    "the :" + empty.kind().keyword() + " effect of step \"" + step.name() + "\" allows nothing: its :"
                            + empty.emptyParameter() + " are empty" + (countOf(step, empty.kind()) > 1 ? " once its items are intersected" : ""),
                    "declare one :" + empty.kind().keyword() + " item listing everything the step needs",
                    firstSpan(step, empty.kind())));
        }
        // A literal call that reaches beyond what the step declares would only fail later, at the proxy or in the
        // guest: refuse it now. Calls whose effects cannot be inferred are covered by the declaration.
        for (CallSite call : step.calls()) {
            boolean user = call.capability().flatMap(catalog::userEffects).isPresent();
            CapabilityContracts.infer(call, catalog).effects().ifPresent(effects -> {
                for (Effect e : effects) {
                    if (n.row().allows(e)) continue;
                    if (user) {
                        problems.add(Diagnostic.error(AdmissionCode.ADMISSION_CAPABILITY_EXCEEDS, step.path() + ".call",
                                "(call " + call.label() + " …) in step \"" + step.name() + "\": the capability's manifest "
                                        + "has the :" + e.kind().keyword() + " effect " + EffectText.of(e)
                                        + ", which the step's :effects do not declare",
                                "add it to the step's :effects (within the plan's), or narrow the capability's manifest",
                                call.span()));
                        continue;
                    }
                    problems.add(Diagnostic.error(AdmissionCode.ADMISSION_UNDECLARED_CALL, step.path() + ".call",
                            "(call " + call.label() + " …) in step \"" + step.name() + "\" has the :" + e.kind().keyword()
                                    + " effect " + EffectText.of(e) + ", which the step's :effects do not declare",
                            "add it to the step's :effects (within the plan's), or change the call", call.span()));
                }
            });
        }
        return new StepEffects(n.row(), units, problems);
    }

    private static StepEffects inferred(Step step, CapabilityCatalog catalog) {
        EffectRow row = EffectRow.EMPTY;
        List<Unit> units = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        for (CallSite call : step.calls()) {
            CapabilityContracts.Inference inference = CapabilityContracts.infer(call, catalog);
            // An unknown capability is refused by admission on its own (ADMISSION_CAPABILITY_UNKNOWN).
            if (inference.effects().isEmpty() && call.capability().filter(catalog::unknown).isPresent()) continue;
            if (inference.effects().isEmpty()) {
                problems.add(Diagnostic.error(AdmissionCode.ADMISSION_UNDECLARED_CALL, step.path() + ".call",
                        "cannot infer the effects of (call " + call.label() + " …) in step \"" + step.name() + "\": "
                                + inference.problem(),
                        "declare the step's effects: (step \"" + step.name() + "\" ^{:effects [[:network {:domains [...]}]]} …)",
                        call.span()));
                continue;
            }
            List<Effect> effects = inference.effects().get();
            for (Effect e : effects) units.add(new Unit(e, call.span(), call.capability().orElse("")));
            // A call's own items never conflict (one per kind), so normalization always succeeds here.
            row = row.union(EffectRow.normalize(effects).row());
        }
        return new StepEffects(row, units, problems);
    }

    private static Span firstSpan(Step step, EffectKind kind) {
        return step.declared().stream().filter(d -> d.effect().kind() == kind).map(DeclaredEffect::span)
                .findFirst().orElse(step.span());
    }

    private static long countOf(Step step, EffectKind kind) {
        return step.declared().stream().filter(d -> d.effect().kind() == kind).count();
    }
}
