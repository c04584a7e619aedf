package dev.rtfs.microvm.agentconfig.diag;

/**
 * A stable diagnostic code. Each module that raises diagnostics owns one enum of codes in its own namespace
 * ({@link RtfsCode} "rtfs", {@link ConfigCode} "config", vmm's {@code SynthCode} "synth", orchestrator's
 * {@code AdmissionCode} "admission", kubernetes's {@code KubernetesCode} "kubernetes"); users script against {@link #name()}, which is what every renderer prints,
 * so names are unique across namespaces (cli's DiagnosticCodesTest keeps them so).
 */
public interface DiagnosticCode {

    /** The module's namespace, e.g. "config". */
    String namespace();

    /** The stable code, e.g. MICROVM_ROOTFS_RW: upper case, digits and '_'. */
    String name();

    /** One line for SARIF rule metadata; the code itself unless the owner says more. */
    default String description() {
        return name();
    }
}
