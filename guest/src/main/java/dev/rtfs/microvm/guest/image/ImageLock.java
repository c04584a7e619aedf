package dev.rtfs.microvm.guest.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmmJson;
import dev.rtfs.microvm.vmm.attest.ExpectedHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * {@code image.lock}, written by {@code image build} next to the images it made: the sha256 of every artifact,
 * keyed by file name, and (since version 2) which kernel the image is for and which of its modules the initramfs
 * loads:
 * <pre>{@code
 * {"version":2,
 *  "artifacts":{"agent-rootfs.img":"sha256:<hex>", ...},
 *  "kernelRelease":"6.1.0-57-cloud-amd64",
 *  "modules":["virtio_ring","virtio","virtio_mmio", ...],
 *  "builtinModules":["ext4"]}
 * }</pre>
 * {@code modules} is the load order of the initramfs (dependencies first, from the kernel's modules.dep);
 * {@code builtinModules} are the needed modules that are part of the kernel image itself and so are not packed —
 * listed separately so that {@code modules} is exactly what /init loads. Version 3 adds {@code packages}, the
 * Debian packages the rootfs's userland was assembled from (name, version, architecture, sha256 of the
 * {@code .deb}, by name); a busybox-only image has none and is still written as version 2. Version 4 adds
 * {@code capabilities}, the user capability packages of the capability store ({@link LockedCapability}: id, entry,
 * sha256 of manifest and entry, effects), by id; an image without packages is written as before (2 or 3), so older
 * readers keep reading it. Version-1 locks (artifacts only) are still read: their kernel release is empty and their
 * module lists are empty.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageLock(@JsonProperty("version") int version, @JsonProperty("artifacts") Map<String, String> artifacts,
        @JsonProperty("kernelRelease") String kernelRelease, @JsonProperty("modules") List<String> modules,
        @JsonProperty("builtinModules") List<String> builtinModules,
        @JsonProperty("packages") List<LockedPackage> packages,
        @JsonProperty("capabilities") List<LockedCapability> capabilities) {

    public static final String FILE_NAME = "image.lock";
    /** The newest version read and written: with user capability packages. */
    public static final int VERSION = 4;
    /** The version of a lock with a Debian userland and no capability packages. */
    public static final int VERSION_WITH_PACKAGES = 3;
    /** The version of a lock without packages (a busybox-only image). */
    public static final int VERSION_WITHOUT_PACKAGES = 2;
    /** The oldest version still read (artifacts only). */
    public static final int FIRST_VERSION = 1;

    public ImageLock {
        artifacts = Collections.unmodifiableMap(new TreeMap<>(artifacts));
        // Absent in version-1 locks.
        modules = modules == null ? (version == FIRST_VERSION ? null : List.of()) : List.copyOf(modules);
        builtinModules = builtinModules == null ? (version == FIRST_VERSION ? null : List.of())
                : List.copyOf(builtinModules);
        packages = packages == null ? null
                : packages.stream().sorted(java.util.Comparator.comparing(LockedPackage::name)).toList();
        capabilities = capabilities == null ? null
                : capabilities.stream().sorted(java.util.Comparator.comparing(LockedCapability::id)).toList();
    }

    /** A lock without capability packages. */
    public ImageLock(int version, Map<String, String> artifacts, String kernelRelease, List<String> modules,
            List<String> builtinModules, List<LockedPackage> packages) {
        this(version, artifacts, kernelRelease, modules, builtinModules, packages, null);
    }

    /** The older constructor: no packages. */
    public ImageLock(int version, Map<String, String> artifacts, String kernelRelease, List<String> modules,
            List<String> builtinModules) {
        this(version, artifacts, kernelRelease, modules, builtinModules, null, null);
    }

    /** A current-version lock. */
    public static ImageLock of(Map<String, String> artifacts, String kernelRelease, List<String> modules,
            List<String> builtinModules) {
        return new ImageLock(VERSION_WITHOUT_PACKAGES, artifacts, kernelRelease, modules, builtinModules);
    }

    /** This lock with the userland's packages (version 3, or 4 with capability packages). */
    public ImageLock withPackages(List<LockedPackage> userland) {
        return new ImageLock(capabilities == null ? VERSION_WITH_PACKAGES : VERSION, artifacts, kernelRelease, modules,
                builtinModules, List.copyOf(userland), capabilities);
    }

    /** This lock with the store's user capability packages (version 4); none: the lock as it is. */
    public ImageLock withCapabilities(List<LockedCapability> packed) {
        if (packed.isEmpty()) return this;
        return new ImageLock(VERSION, artifacts, kernelRelease, modules, builtinModules, packages, List.copyOf(packed));
    }

    /** The user capability packages of the store, by id; empty for an image without any. */
    public List<LockedCapability> userCapabilities() {
        return capabilities == null ? List.of() : capabilities;
    }

    /** The Debian packages of the userland, by name; empty for a busybox-only image. */
    public List<LockedPackage> userlandPackages() {
        return packages == null ? List.of() : packages;
    }

    /** The lock next to {@code image}, if there is one. Malformed locks are an error, never silently ignored. */
    public static Optional<ImageLock> besides(Path image) throws IOException {
        Path parent = image.toAbsolutePath().getParent();
        Path lock = parent == null ? Path.of(FILE_NAME) : parent.resolve(FILE_NAME);
        if (!Files.exists(lock)) return Optional.empty();
        try {
            ImageLock read = VmmJson.read(Files.readString(lock), ImageLock.class);
            if (read.version() < FIRST_VERSION || read.version() > VERSION) {
                throw new IOException(lock + ": unsupported version " + read.version());
            }
            if (read.artifacts() == null) throw new IOException(lock + ": no artifacts");
            if (read.version() >= 2 && (read.kernelRelease() == null || read.kernelRelease().isBlank())) {
                throw new IOException(lock + ": version " + read.version() + " lock without a kernelRelease");
            }
            return Optional.of(read);
        } catch (JacksonException e) {
            throw new IOException(lock + " is not a valid image lock: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code options} attesting against the image.lock next to the config's rootfs image, if there is one: what a
     * deploy attests every boot artifact against. A malformed lock is an error, never ignored.
     */
    public static SynthOptions attestAgainstLockOf(AgentConfig config, SynthOptions options) throws IOException {
        if (config.rootfsImage().isEmpty()) {
            return options;
        }
        return besides(Path.of(options.resolve(config.rootfsImage().get())))
                .map(lock -> options.withImageLock(lock.expectedHashes())).orElse(options);
    }

    /** What attestation checks against: the recorded hash of every artifact, by file name. */
    public ExpectedHashes expectedHashes() {
        return new ExpectedHashes(artifacts);
    }

    /** The recorded hash of the artifact with {@code image}'s file name. */
    public Optional<String> hashOf(Path image) {
        return Optional.ofNullable(artifacts.get(image.getFileName().toString()));
    }

    /** The kernel release the image is for; empty for a version-1 lock. */
    public Optional<String> release() {
        return Optional.ofNullable(kernelRelease);
    }

    /** The modules the initramfs loads, in load order; empty for a version-1 lock. */
    public List<String> loadedModules() {
        return modules == null ? List.of() : modules;
    }

    /** The needed modules built into the kernel; empty for a version-1 lock. */
    public List<String> builtIn() {
        return builtinModules == null ? List.of() : builtinModules;
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE_NAME), VmmJson.pretty(this));
    }
}
