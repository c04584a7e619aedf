package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.guest.ImageArtifact;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm image build}: the reproducible guest of DESIGN §10 (kernel, initramfs, read-only ext4 rootfs
 * and capability store, image.lock) in the layout the example config names. Exit 0 built; 2 for a missing tool,
 * package or input and an unwritable output (nothing half-built is left behind).
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build the guest images.",
        subcommands = {ImageCommand.Build.class})
final class ImageCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USAGE;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build kernels/vmlinuz-min and images/{initramfs.cpio,agent-rootfs.img,capabilities.img,"
                    + "image.lock} from the Debian packages linux-image-cloud-amd64, busybox-static and e2fsprogs.",
                "Two builds from the same inputs are byte-identical."})
    static final class Build implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "Output directory (default: the current directory).")
        String out;

        @Option(names = "--kernel", paramLabel = "PATH",
                description = "Guest kernel vmlinuz-<version>, its modules in /lib/modules/<version> "
                        + "(default: the newest /boot/vmlinuz-*-cloud-amd64).")
        String kernel;

        @Option(names = "--capabilities", paramLabel = "DIR",
                description = "Tree for the capability store (default: the built-in descriptors).")
        String capabilities;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ImageBuildOptions options;
            try {
                options = ImageBuildOptions.defaults(Path.of(out)).withRelease(release());
                if (kernel != null) options = options.withKernel(Path.of(kernel));
                if (capabilities != null) options = options.withCapabilities(Path.of(capabilities));
            } catch (InvalidPathException e) {
                err.println("error: invalid path: " + e.getInput());
                err.flush();
                return Main.USAGE;
            }
            boolean tty = DiagnosticOutput.stdoutIsTerminal(); // progress lines only on a terminal
            Consumer<String> progress = tty ? line -> {
                err.println("image build: " + line);
                err.flush();
            } : line -> { };
            ImageBuildResult result;
            try {
                result = ImageBuilder.system().build(options, progress);
            } catch (ImageBuildException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return Main.USAGE;
            }
            Path root = result.layout().root();
            stdout.printf(Locale.ROOT, "built the guest image in %s (%.1f s; kernel %s)%n",
                    root.toAbsolutePath().normalize(), result.elapsed().toMillis() / 1000.0, result.kernelSource());
            for (ImageArtifact a : result.artifacts()) {
                stdout.printf(Locale.ROOT, "  %-24s %10d bytes  %s%n", root.relativize(a.path()), a.size(), a.sha256());
            }
            stdout.printf(Locale.ROOT, "  %-24s (the %d hashes above)%n", root.relativize(result.layout().lock()),
                    result.lock().artifacts().size());
            stdout.flush();
            return Main.OK;
        }

        /** The rootfs's /etc/rtfs-release line: the tool's version, so an image says what built it. */
        private static String release() {
            String v = Main.class.getPackage().getImplementationVersion();
            return "rtfs-microvm " + (v == null ? "0.1.0-SNAPSHOT" : v);
        }
    }
}
