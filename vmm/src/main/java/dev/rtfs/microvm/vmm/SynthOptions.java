package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.vmm.attest.ExpectedHashes;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Host-side facts that are not in the agent config.
 *
 * @param runDir            absolute per-VM directory for sockets, logs and metrics
 * @param baseDir           relative image paths in the config are resolved against it (the config file's
 *                          directory); empty keeps them as written
 * @param binaries          hypervisor executables
 * @param jailer            jailer identity for Firecracker
 * @param proxyPort         the agent's egress proxy port on 127.0.0.1 (QEMU guestfwd target)
 * @param deploy            true for a real deploy: attestation must resolve and match
 * @param expectRootfsHash  {@code --expect-rootfs-hash} override ({@code sha256:<hex>})
 * @param imageLock         the hashes of every boot artifact that {@code image build} recorded in the image.lock
 *                          next to the rootfs (the guest module reads the file)
 * @param initrd            initramfs to boot with (required for QEMU, optional elsewhere)
 * @param capabilitiesImage the capability store image; default {@code capabilities.img} next to the rootfs
 * @param runConfigDisk     the run's read-only config disk (the guest's {@code rtfs.run_config} device, e.g. the
 *                          proxy's interception CA), attached after the rootfs and the capability store; per run,
 *                          so not an attested image: the supervisor measures it into the chain
 */
public record SynthOptions(
        Path runDir,
        Optional<Path> baseDir,
        VmmBinaries binaries,
        JailerOptions jailer,
        int proxyPort,
        boolean deploy,
        Optional<String> expectRootfsHash,
        Optional<ExpectedHashes> imageLock,
        Optional<Path> initrd,
        Optional<Path> capabilitiesImage,
        Optional<Path> runConfigDisk) {

    /** Port of the proxy the guest is told about when nothing else is configured. */
    public static final int DEFAULT_PROXY_PORT = 3128;

    public SynthOptions {
        Objects.requireNonNull(runDir);
        Objects.requireNonNull(baseDir);
        Objects.requireNonNull(binaries);
        Objects.requireNonNull(jailer);
        Objects.requireNonNull(expectRootfsHash);
        Objects.requireNonNull(imageLock);
        Objects.requireNonNull(initrd);
        Objects.requireNonNull(capabilitiesImage);
        Objects.requireNonNull(runConfigDisk);
        if (proxyPort < 1 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + proxyPort);
        }
    }

    /** Template mode (not a deploy), default binaries, no overrides. */
    public static SynthOptions defaults(Path runDir) {
        return new SynthOptions(runDir, Optional.empty(), VmmBinaries.DEFAULT, JailerOptions.DEFAULT,
                DEFAULT_PROXY_PORT, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public SynthOptions withBaseDir(Path dir) {
        return new SynthOptions(runDir, Optional.of(dir), binaries, jailer, proxyPort, deploy,
                expectRootfsHash, imageLock, initrd, capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withBinaries(VmmBinaries b) {
        return new SynthOptions(runDir, baseDir, b, jailer, proxyPort, deploy,
                expectRootfsHash, imageLock, initrd, capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withProxyPort(int port) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, port, deploy,
                expectRootfsHash, imageLock, initrd, capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withDeploy(boolean d) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, proxyPort, d,
                expectRootfsHash, imageLock, initrd, capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withExpectRootfsHash(String hash) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, proxyPort, deploy,
                Optional.of(hash), imageLock, initrd, capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withImageLock(ExpectedHashes lock) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, proxyPort, deploy,
                expectRootfsHash, Optional.of(lock), initrd, capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withInitrd(Path path) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, proxyPort, deploy,
                expectRootfsHash, imageLock, Optional.of(path), capabilitiesImage, runConfigDisk);
    }

    public SynthOptions withCapabilitiesImage(Path path) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, proxyPort, deploy,
                expectRootfsHash, imageLock, initrd, Optional.of(path), runConfigDisk);
    }

    public SynthOptions withRunConfigDisk(Path path) {
        return new SynthOptions(runDir, baseDir, binaries, jailer, proxyPort, deploy,
                expectRootfsHash, imageLock, initrd, capabilitiesImage, Optional.of(path));
    }

    /** A config path resolved against {@link #baseDir}, as a string for the hypervisor. */
    public String resolve(String configPath) {
        return baseDir.map(b -> b.resolve(configPath).normalize().toString()).orElse(configPath);
    }
}
