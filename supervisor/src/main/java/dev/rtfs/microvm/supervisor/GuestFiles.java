package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The guest's boot files, checked before anything starts: a missing, unreadable or empty kernel, rootfs or initramfs
 * would otherwise surface as a VMM error in the guest log after the proxy and control plane came up.
 */
final class GuestFiles {

    private GuestFiles() {}

    /**
     * What is wrong with the kernel, rootfs or initramfs of {@code req}, naming the file; empty when all look usable.
     * The config's images are named with the directory they are relative to ({@code run --image}), so a run from
     * the wrong place says where it looked.
     */
    static Optional<String> problem(AgentConfig config, RunRequest req) {
        Path base = req.imageDir().toAbsolutePath();
        Map<Path, String> files = new LinkedHashMap<>();
        config.kernelImage().ifPresent(k -> files.put(base.resolve(k).normalize(), "kernel"));
        config.rootfsImage().ifPresent(r -> files.put(base.resolve(r).normalize(), "rootfs"));
        req.initrd().ifPresent(i -> files.putIfAbsent(i, "initramfs"));
        for (Map.Entry<Path, String> e : files.entrySet()) {
            Path f = e.getKey();
            String name = e.getValue() + " ";
            if (!Files.exists(f)) {
                return Optional.of(name.equals("initramfs ")
                        ? name + f + ": no such file (build the guest with `rtfs-microvm image build`)"
                        : name + "image not found: " + f + " (paths in :microvm are relative to --image DIR, here "
                                + base + "; build the guest with `rtfs-microvm image build`)");
            }
            if (!Files.isRegularFile(f)) {
                return Optional.of(name + f + ": not a regular file");
            }
            try (InputStream in = Files.newInputStream(f)) {
                if (in.read() < 0) {
                    return Optional.of(name + f + ": the file is empty (rebuild the guest with `rtfs-microvm image build`)");
                }
            } catch (IOException ex) {
                return Optional.of(name + f + ": not readable (" + ex.getClass().getSimpleName() + ")");
            }
        }
        return Optional.empty();
    }
}
