package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.AgentChannel;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.vmm.KernelCmdline;
import dev.rtfs.microvm.vmm.RunDirLayout;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmBlueprint;
import dev.rtfs.microvm.vmm.qemu.AcceleratorProbe;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import dev.rtfs.microvm.vmm.qemu.QemuSynthesizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof that a guest image boots: one QEMU microvm boot of exactly these files, as {@code run} would boot them,
 * up to the agent's hello on the control port, then a shutdown. {@code image build} runs it before it moves a
 * new image into place, so an image that cannot boot is never reported as built. Fails fast like {@code run}:
 * a VM that exits before hello ends the check at once, with the end of its guest log.
 */
public final class BootCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BootCheck.class);

    /** The agent id the check's guest is told (and the only one its control server accepts). */
    static final String AGENT_ID = "image.check";

    /** The files of the guest to boot. */
    public record Guest(Path kernel, Path initramfs, Path rootfs, Optional<Path> capabilities) {
        public Guest {
            Objects.requireNonNull(kernel);
            Objects.requireNonNull(initramfs);
            Objects.requireNonNull(rootfs);
            Objects.requireNonNull(capabilities);
        }
    }

    /** Why the image did not boot: the message names the cause and quotes the end of the guest log. */
    public static final class BootCheckFailed extends Exception {
        BootCheckFailed(String message) {
            super(message);
        }
    }

    private final VmLauncher launcher;
    private final AcceleratorProbe accelerator;
    private final Duration helloTimeout;

    public BootCheck(VmLauncher launcher, AcceleratorProbe accelerator, Duration helloTimeout) {
        this.launcher = Objects.requireNonNull(launcher);
        this.accelerator = Objects.requireNonNull(accelerator);
        this.helloTimeout = Objects.requireNonNull(helloTimeout);
    }

    /** The real QEMU under TCG, 120 s to hello (as {@code run}). */
    public static BootCheck standard() {
        return new BootCheck(new ProcessVmLauncher(), AcceleratorProbe.tcg(), Duration.ofSeconds(120));
    }

    /** Boots {@code guest} once; returns the time from the VMM's start to the guest's hello. */
    public Duration boot(Guest guest) throws BootCheckFailed, IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rtfs-boot-check-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean keepLog = false;
        try {
            return boot(guest, dir);
        } catch (BootCheckFailed e) {
            keepLog = true; // the message points the user at it
            throw e;
        } finally {
            deleteQuietly(dir, keepLog ? new RunDirLayout(dir).guestLog() : null);
        }
    }

    private Duration boot(Guest guest, Path dir) throws BootCheckFailed, IOException {
        RunDirLayout layout = new RunDirLayout(dir);
        // As VmSynthesizer does for a config: the guest learns its agent id from the command line.
        VmBlueprint vm = new VmBlueprint(AGENT_ID, guest.kernel().toAbsolutePath().toString(),
                KernelCmdline.AGENT_ID_PARAM + "=" + AGENT_ID, Span.NONE,
                guest.rootfs().toAbsolutePath().toString(), guest.capabilities().isPresent(), 1, 256,
                Optional.of(new VmBlueprint.Nic("")), OptionalLong.empty(), VmBlueprint.Attestation.NONE);
        SynthOptions options = SynthOptions.defaults(dir).withInitrd(guest.initramfs().toAbsolutePath());
        if (guest.capabilities().isPresent()) {
            options = options.withCapabilitiesImage(guest.capabilities().get().toAbsolutePath());
        }
        QemuSpec spec = QemuSynthesizer.synthesize(vm, options, accelerator.probe());
        try (ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
                ControlServer control = new ControlServer(ListeningTransport.virtioSerial(layout.qemuControlSocket()),
                        chain, new AdmissionCache(1, 1 << 16), ControlServerOptions.defaults().forAgent(AGENT_ID));
                GuestLog log = GuestLog.open(layout.guestLog(), GuestLog.DEFAULT_MAX_BYTES)) {
            control.start();
            AgentChannel channel = control.agent(AGENT_ID);
            VmLauncher.RunningVm running = launcher.start(spec.argv(), log);
            try {
                BootWait.Outcome outcome = BootWait.await(channel, null, running, helloTimeout);
                if (!(outcome instanceof BootWait.Greeted greeted)) {
                    running.kill();
                    running.exit().handle((c, e) -> c).join();
                    throw new BootCheckFailed(BootWait.describe(outcome, 1, log));
                }
                try {
                    channel.shutdown("image check done");
                    running.exit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("the checked guest did not power off cleanly ({}); stopping it", e.toString());
                }
                return greeted.bootTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BootCheckFailed("interrupted while booting the image");
            } finally {
                running.kill();
                running.exit().handle((c, e) -> c).join();
            }
        }
    }

    /** Removes {@code dir} and everything in it but {@code keep} (may be null). */
    private static void deleteQuietly(Path dir, Path keep) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (keep == null || !(p.equals(keep) || p.equals(dir))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.toString());
        }
    }
}
