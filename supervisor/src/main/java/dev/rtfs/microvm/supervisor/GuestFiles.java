package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guest's boot files, checked before anything starts: a missing, unreadable or empty kernel or initramfs
 * would otherwise surface as a VMM error in the guest log after the proxy and control plane came up.
 */
final class GuestFiles {

    private GuestFiles() {}

    /** What is wrong with the kernel or initramfs of {@code req}, naming the file; empty when both look usable. */
    static Optional<String> problem(AgentConfig config, RunRequest req) {
        List<Path> files = new ArrayList<>();
        config.kernelImage().map(k -> req.imageDir().toAbsolutePath().resolve(k)).ifPresent(files::add);
        req.initrd().ifPresent(files::add);
        for (Path f : files) {
            String name = f.equals(req.initrd().orElse(null)) ? "initramfs " : "kernel ";
            if (!Files.exists(f)) {
                return Optional.of(name + f + ": no such file (build the guest with `rtfs-microvm image build`)");
            }
            if (!Files.isRegularFile(f)) {
                return Optional.of(name + f + ": not a regular file");
            }
            try (InputStream in = Files.newInputStream(f)) {
                if (in.read() < 0) {
                    return Optional.of(name + f + ": the file is empty (rebuild the guest with `rtfs-microvm image build`)");
                }
            } catch (IOException e) {
                return Optional.of(name + f + ": not readable (" + e.getClass().getSimpleName() + ")");
            }
        }
        return Optional.empty();
    }
}
