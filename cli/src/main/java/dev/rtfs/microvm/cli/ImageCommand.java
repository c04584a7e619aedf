package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.guest.ImageArtifact;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.UserlandOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
import dev.rtfs.microvm.guest.ImageVerifier;
import dev.rtfs.microvm.supervisor.BootCheck;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm image build}: the reproducible guest (kernel, initramfs, read-only ext4 rootfs
 * and capability store, image.lock) in the layout the example config names, booted once to the agent's hello
 * before it is put in place (unless {@code --no-verify}). Exit 0 built; 1 when it cannot be built (a missing tool,
 * package, kernel or module, an unwritable output) or does not boot: nothing half-built is left behind; 2 for usage
 * errors. {@code image verify DIR} measures an image against its image.lock; {@code image promote DIR --link LINK}
 * verifies it and then atomically points LINK at it (the blue/green update of docs/runbook.md).
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build, verify and promote guest images.",
        subcommands = {ImageCommand.Build.class, ImageCommand.Verify.class, ImageCommand.Promote.class})
final class ImageCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw UsageException.showUsage();
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build kernels/vmlinuz-min and images/{initramfs.cpio,agent-rootfs.img,capabilities.img,"
                    + "image.lock} from the Debian packages linux-image-cloud-amd64, busybox-static and e2fsprogs.",
                "Two builds from the same inputs are byte-identical.",
                "The rootfs is a read-only Debian userland (dash, coreutils, curl, ca-certificates and their "
                        + "dependencies, at this host's installed versions) assembled from local .deb files, never "
                        + "from the network: fetch them first with scripts/guest-debs [PACKAGE...]. image.lock records "
                        + "every package's name, version, architecture and the sha256 of its .deb. The agent's "
                        + "http.get/http.post reach https:// URLs with the userland's curl.",
                "--busybox-only builds the previous guest instead: the agent runs from the initramfs, the rootfs is "
                        + "data only, http.get reaches http:// URLs only and there is no http.post."})
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
                description = "User capability packages for the capability store: DIR/<id>/capability.rtfs, "
                        + "(capability :ID :effects [...] :entry \"run\"), and the executable it names; every manifest "
                        + "is checked (errors with positions, nothing written) and recorded in image.lock (default: the "
                        + "built-in descriptors only).")
        String capabilities;

        @Option(names = "--userland",
                description = "Assemble the rootfs from Debian packages and boot the agent into it (guest/IMAGE.md); "
                        + "the default, kept for scripts that name it.")
        boolean userland;

        @Option(names = "--busybox-only",
                description = "No Debian userland: the busybox-only guest (http:// only; no --package, --debs, "
                        + "--ca-cert).")
        boolean busyboxOnly;

        @Option(names = "--package", paramLabel = "NAME",
                description = "Add a Debian package (and its dependencies) to the userland; repeatable.")
        List<String> packages = new ArrayList<>();

        @Option(names = "--debs", paramLabel = "DIR",
                description = "Where the .deb files are (default: $RTFS_MICROVM_HOME/debs when set, "
                        + "~/.cache/rtfs-microvm/debs, then /var/cache/apt/archives).")
        String debs;

        @Option(names = "--ca-cert", paramLabel = "FILE",
                description = "Add a PEM trust anchor to the userland's CA bundle (what the guest's https:// "
                        + "fetches trust); repeatable.")
        List<String> caCerts = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ImageBuildOptions options;
            try {
                options = ImageBuildOptions.defaults(Path.of(out)).withRelease(release());
                if (kernel != null) options = options.withKernel(Path.of(kernel));
                if (capabilities != null) {
                    CapabilityPackaging packaging = CapabilityPackaging.of(Path.of(capabilities));
                    if (packaging.refused().isPresent()) {
                        err.print(ReportFormat.TEXT.render(new CheckReport(List.of(packaging.refused().get())), false));
                        err.println("error: the capability packages in " + capabilities + " have errors; no image was written");
                        err.flush();
                        return Main.FAILED;
                    }
                    options = options.withCapabilityPackages(Path.of(capabilities), packaging.packed());
                }
                boolean userlandOptions = userland || !packages.isEmpty() || debs != null || !caCerts.isEmpty();
                if (busyboxOnly && userlandOptions) {
                    throw new UsageException("--busybox-only builds no userland: drop --userland, --package, --debs "
                            + "and --ca-cert, or --busybox-only");
                }
                if (busyboxOnly) {
                    options = options.withoutUserland();
                } else {
                    List<Path> debDirs = debs == null ? UserlandOptions.defaultDebDirs(System.getenv())
                            : List.of(Path.of(debs));
                    options = options.withUserland(new UserlandOptions(packages, debDirs,
                            caCerts.stream().map(Path::of).toList()));
                }
            } catch (InvalidPathException e) {
                throw new UsageException("invalid path: " + e.getInput());
            } catch (IOException e) {
                err.println("error: cannot read the capability packages in " + capabilities + ": " + e.getMessage());
                err.flush();
                return Main.FAILED;
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
            if (!result.lock().userCapabilities().isEmpty()) {
                stdout.printf(Locale.ROOT, "  capabilities: %s (recorded in image.lock)%n", String.join(" ",
                        result.lock().userCapabilities().stream().map(c -> c.id()).toList()));
            }
            if (!result.lock().userlandPackages().isEmpty()) {
                stdout.printf(Locale.ROOT, "  userland: %d Debian packages (listed in image.lock)%n",
                        result.lock().userlandPackages().size());
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

    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measure every artifact DIR/images/image.lock records (kernel, initramfs, rootfs, capability "
                    + "store) and compare it with the recorded sha256: one line per artifact (name, expected, measured, "
                    + "ok or MISMATCH/MISSING/UNREADABLE with the path it looked at). Nothing is booted.",
                "Exit 0 when every artifact matches; 1 on a mismatch or a missing or unreadable file; 2 when DIR has "
                    + "no valid image.lock."})
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "An image directory written by `image build --out DIR`.")
        String dir;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            boolean json = DiagnosticOutput.textOrJson(format) == ReportFormat.JSON;
            ImageVerification v = ImageVerification.of(imageDir(dir), new Sha256ImageMeasurer());
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? v.json() : v.text());
            out.flush();
            return v.allMatch() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Verify DIR like `image verify` (a mismatching image is refused, exit 1), then atomically "
                    + "point the symlink LINK at DIR: a new link is renamed over the old one, so LINK is never missing. "
                    + "Prints the previous target (or none).",
                "`run --image LINK` resolves the link once, at start: runs already started keep the old directory "
                    + "until they end (the drain), new runs get DIR.",
                "Exit 0 promoted; 1 DIR does not verify (LINK unchanged); 2 usage errors, and a LINK that exists and "
                    + "is not a symlink (left alone)."})
    static final class Promote implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The new image directory.")
        String dir;

        @Option(names = "--link", required = true, paramLabel = "LINK",
                description = "The symlink `run --image` is given (created when missing).")
        String link;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path linkPath;
            try {
                linkPath = Path.of(link).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new UsageException("invalid path: " + e.getInput());
            }
            if (linkPath.getParent() == null || !Files.isDirectory(linkPath.getParent())) {
                throw new UsageException("--link " + linkPath + ": its directory " + linkPath.getParent() + " does not exist");
            }
            if (Files.exists(linkPath, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(linkPath)) {
                throw new UsageException("--link " + linkPath + " exists and is not a symlink; it was left alone");
            }
            Path target = imageDir(dir);
            ImageVerification v = ImageVerification.of(target, new Sha256ImageMeasurer());
            out.print(v.text());
            if (!v.allMatch()) {
                out.flush();
                err.println("error: refused to promote " + v.root() + ": it does not match its image.lock; "
                        + linkPath + " is unchanged");
                err.flush();
                return Main.FAILED;
            }
            Path real;
            Optional<Path> previous;
            try {
                real = target.toRealPath();
                previous = AtomicSymlink.pointAt(linkPath, real);
            } catch (AtomicSymlink.NotASymlink e) {
                throw new UsageException("--link " + e.getMessage());
            } catch (IOException e) {
                throw new UsageException("cannot point " + linkPath + " at " + target + ": " + e.getMessage());
            }
            out.println("promoted " + linkPath + " -> " + real);
            out.println("previous: " + previous.map(Path::toString).orElse("none"));
            out.flush();
            return Main.OK;
        }
    }

    /** DIR as given, absolute: an image directory that is not there is a usage error naming it. */
    private static Path imageDir(String dir) {
        Path p;
        try {
            p = Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException("invalid path: " + e.getInput());
        }
        if (!Files.isDirectory(p)) {
            throw new UsageException("image directory " + p + " does not exist");
        }
        return p;
    }
}
