package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a VM's sockets, logs and metrics live inside its run dir. Unix socket paths must fit
 * {@code sun_path}: 107 bytes plus the terminating NUL. The supervisor creates the run dir (mode 0700), creates
 * the log and metrics files before launch (older Firecracker releases do not create them) and removes stale
 * socket files (Firecracker refuses to bind over one).
 */
public record RunDirLayout(Path runDir) {

    /** sun_path is 108 bytes including the NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Guest vsock port of the control plane; guest-initiated connections arrive on {@code uds_path + "_1024"}. */
    public static final long CONTROL_VSOCK_PORT = 1024;

    /**
     * Widest suffix Firecracker / Cloud Hypervisor append for guest-initiated vsock connections: {@code "_"} and a
     * 32-bit port in decimal. Checking against the widest keeps every port usable, not only the control port.
     */
    static final String WIDEST_VSOCK_SUFFIX = "_4294967295";

    public Path firecrackerApiSocket() { return runDir.resolve("firecracker.sock"); }
    public Path cloudHypervisorApiSocket() { return runDir.resolve("cloud-hypervisor.sock"); }
    public Path vsockSocket() { return runDir.resolve("vsock.sock"); }
    public Path firecrackerLog() { return runDir.resolve("firecracker.log"); }
    public Path firecrackerMetrics() { return runDir.resolve("firecracker.metrics"); }
    public Path firecrackerConfigFile() { return runDir.resolve("firecracker.json"); }
    public Path qemuControlSocket() { return runDir.resolve("control.sock"); }
    public Path qemuQmpSocket() { return runDir.resolve("qmp.sock"); }
    /** The run's read-only config disk (the interception CA for the guest), written only when the run has one. */
    public Path runConfigDisk() { return runDir.resolve("run-config.img"); }
    /** The guest log: everything the VMM and the guest print (kernel, /init, agent stderr); 0600, size-bounded. */
    public Path guestLog() { return runDir.resolve("guest.log"); }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Problems with the run dir itself or with the sockets of {@code target} (vsock only when used). */
    public List<Diagnostic> check(Target target, boolean vsockUsed) {
        List<Diagnostic> out = new ArrayList<>();
        if (!runDir.isAbsolute()) {
            out.add(Diagnostic.error(SynthCode.SYNTH_RUN_DIR, "", "run dir '" + runDir + "' is not absolute",
                    "pass an absolute --run-dir", Span.NONE));
            return out;
        }
        List<String> sockets = new ArrayList<>();
        switch (target) {
            case FIRECRACKER, FIRECRACKER_API -> {
                sockets.add(firecrackerApiSocket().toString());
                if (vsockUsed) sockets.add(vsockSocket() + WIDEST_VSOCK_SUFFIX);
            }
            case CLOUD_HYPERVISOR, CLOUD_HYPERVISOR_CLI -> {
                sockets.add(cloudHypervisorApiSocket().toString());
                if (vsockUsed) sockets.add(vsockSocket() + WIDEST_VSOCK_SUFFIX);
            }
            case QEMU -> {
                sockets.add(qemuControlSocket().toString());
                sockets.add(qemuQmpSocket().toString());
            }
        }
        // Report the longest path only: it is the one that decides how short the run dir must be.
        sockets.stream().max(java.util.Comparator.comparingInt(RunDirLayout::bytes)).ifPresent(socket -> {
            int bytes = bytes(socket);
            if (bytes > MAX_SOCKET_PATH_BYTES) {
                int budget = MAX_SOCKET_PATH_BYTES - (bytes - bytes(runDir.toString()));
                out.add(Diagnostic.error(SynthCode.SYNTH_SOCKET_PATH_TOO_LONG, "",
                        "socket path '" + socket + "' is " + bytes + " bytes; Unix sockets allow at most "
                                + MAX_SOCKET_PATH_BYTES,
                        "use a run dir of at most " + Math.max(budget, 1) + " bytes (e.g. /run/rtfs/<agent>)",
                        Span.NONE));
            }
        });
        return out;
    }
}
