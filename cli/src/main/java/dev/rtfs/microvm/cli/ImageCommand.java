package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.guest.ImageArtifact;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
import dev.rtfs.microvm.guest.ImageVerifier;
import dev.rtfs.microvm.supervisor.BootCheck;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm image build}: the reproducible guest (kernel, initramfs, read-only ext4 rootfs
 * and capability store, image.lock) in the layout the example config names, booted once to the agent's hello
 * before it is put in place (unless {@code --no-verify}). Exit 0 built; 1 when it cannot be built (a missing tool,
 * package, kernel or module, an unwritable output) or does not boot: nothing half-built is left behind; 2 for usage
 * errors.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build the guest images.",
        subcommands = {ImageCommand.Build.class})
final class ImageCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw UsageException.showUsage();
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
                description = "Guest kernel (a bzImage, any file name), its modules in /lib/modules/<release> for the "
                        + "release the image carries (default: the newest /boot/vmlinuz-*-cloud-amd64).")
        String kernel;

        @Option(names = "--no-verify",
                description = "Do not boot the new image once (to the agent's hello) before putting it in place.")
        boolean noVerify;

        @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr (errors are still printed).")
        boolean quiet;

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
                throw new UsageException("invalid path: " + e.getInput());
            }
            Progress progress = Progress.of("image build", quiet, err);
            ImageVerifier verifier = noVerify ? ImageVerifier.NONE
                    : new BootingImageVerifier(BootCheck.standard(), progress::line);
            ImageBuildResult result;
            try {
                result = ImageBuilder.system().build(options, progress::line, verifier);
            } catch (ImageBuildException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return Main.FAILED;
            }
            Path root = result.layout().root();
            stdout.printf(Locale.ROOT, "built the guest image in %s (%.1f s; kernel %s)%n",
                    root.toAbsolutePath().normalize(), result.elapsed().toMillis() / 1000.0, result.kernelSource());
            stdout.printf(Locale.ROOT, "  kernel release %s%n", result.kernelRelease());
            stdout.printf(Locale.ROOT, "  %s%n", result.bootToHello()
                    .map(t -> String.format(Locale.ROOT, "verified: booted to the agent's hello in %.1f s", t.toMillis() / 1000.0))
                    .orElse("not verified (--no-verify): never booted"));
            // The load order /init uses, from that kernel's modules.dep; built-in ones are in the kernel itself.
            stdout.printf(Locale.ROOT, "  modules (load order): %s%n", String.join(" ", result.lock().loadedModules()));
            if (!result.lock().builtIn().isEmpty()) {
                stdout.printf(Locale.ROOT, "  built into the kernel: %s%n", String.join(" ", result.lock().builtIn()));
            }
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
