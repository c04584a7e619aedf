package dev.rtfs.microvm.guest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host tools the image build runs (mkfs.ext4, debugfs, dumpe2fs, e2fsck). A seam: tests give a fake to check
 * what happens when a tool is missing or fails, without uninstalling anything.
 */
interface ImageTools {

    /** The executable {@code tool} on PATH (or /usr/sbin, /sbin, where e2fsprogs lives), if installed. */
    Optional<Path> locate(String tool);

    /**
     * Runs {@code argv} (argv[0] a located tool) to completion with {@code env} added to the environment.
     *
     * @throws IOException when the process cannot be started or is interrupted
     */
    Result run(List<String> argv, Map<String, String> env) throws IOException;

    /** A finished process: its exit code and what it wrote. */
    record Result(int exit, String stdout, String stderr) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** The real host. */
    static ImageTools system() {
        return new ImageProcessTools();
    }
}
