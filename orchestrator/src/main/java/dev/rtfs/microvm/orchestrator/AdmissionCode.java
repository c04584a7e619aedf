package dev.rtfs.microvm.orchestrator;

import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;

/** The stable plan diagnostic codes of admission (users script against these names). */
public enum AdmissionCode implements DiagnosticCode {
    /** An effect kind outside the closed vocabulary. */
    ADMISSION_EFFECT_UNKNOWN,
    /** A step effect that the plan's envelope does not contain. */
    ADMISSION_EFFECT_NOT_IN_PLAN,
    /** A network effect while the agent's network or NIC is off. */
    ADMISSION_NETWORK_DISABLED,
    /** A domain outside the agent's allowlist (or a network effect that names no domains). */
    ADMISSION_DOMAIN_DENIED,
    /** A path outside /tmp/agent (reads may also use /agent/capabilities), a write to the capability store, "..". */
    ADMISSION_FS_DENIED,
    ADMISSION_LLM_DISABLED,
    ADMISSION_GPU_DISABLED,
    /** A :random effect under deterministic random without a seed. */
    ADMISSION_RANDOM_UNSEEDED,
    /** A call whose effects cannot be inferred from literal arguments and that the step does not declare. */
    ADMISSION_UNDECLARED_CALL,
    /** A call to a capability that is neither built in nor packed in the image (admission against an image). */
    ADMISSION_CAPABILITY_UNKNOWN,
    /** A call to a user capability whose manifest effects the step's declared :effects do not cover. */
    ADMISSION_CAPABILITY_EXCEEDS,
    /** A capability package's manifest that does not read: syntax, shape, id, a duplicate, an id not its directory. */
    CAPABILITY_MANIFEST,
    /** A manifest's :entry that is missing, not executable, not a regular file or escapes its package directory. */
    CAPABILITY_ENTRY,
    /** A user capability whose id is a built-in's (the agent answers built-ins first; the package would never run). */
    CAPABILITY_SHADOWS_BUILTIN,
    /** Malformed plan/step/effect forms, duplicate step names, effects that allow nothing. */
    PLAN_SHAPE;

    @Override
    public String namespace() {
        return "admission";
    }
}
