package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The directory the config's {@code :microvm} image paths are relative to: {@code synth --image DIR} (default: the
 * current directory; {@code run}'s own check is the supervisor's GuestFiles, same message). A missing image is named
 * with the full path it was looked for at and the option that sets the base, so a wrong working directory is obvious.
 */
record ImageBase(Path dir) {

    static final String OPTION = "--image";

    /** The first of the config's kernel and rootfs images that is not a file under {@link #dir}, as an error line. */
    Optional<String> missing(AgentConfig config) {
        Optional<String> kernel = config.kernelImage().flatMap(k -> absent("kernel", k));
        return kernel.isPresent() ? kernel : config.rootfsImage().flatMap(r -> absent("rootfs", r));
    }

    private Optional<String> absent(String what, String configPath) {
        Path file = dir.resolve(configPath).normalize();
        if (Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(what + " image not found: " + file + " (paths in :microvm are relative to " + OPTION
                + " DIR, here " + dir + ")");
    }
}
