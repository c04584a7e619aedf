package dev.rtfs.microvm.vmm.qemu;

import java.util.List;
import java.util.Objects;

/**
 * A QEMU microvm invocation. QEMU runs here for real: the supervisor executes {@code argv} directly, reads the
 * serial console on stdout, serves (or connects to) {@code controlSocket}, and stops the VM through QMP.
 */
public record QemuSpec(List<String> argv, Accelerator accelerator, String controlSocket, String qmpSocket) {
    public QemuSpec {
        argv = List.copyOf(argv);
        Objects.requireNonNull(accelerator);
        Objects.requireNonNull(controlSocket);
        Objects.requireNonNull(qmpSocket);
    }
}
