package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec;
import dev.rtfs.microvm.vmm.firecracker.NetworkInterface;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random configs and run dirs: synthesis never throws, refuses exactly the unsafe or impossible ones, and every
 * spec it does produce conforms to the upstream schemas and the §7 limits.
 */
class SynthesisPropertyTest {

    private static final int CASES = Integer.getInteger("rtfs.test.cases", 400);

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }

    @Test
    void synthesisIsTotalAndEveryProducedSpecConforms() {
        long seed = Long.getLong("rtfs.test.seed", System.nanoTime());
        System.out.println("SynthesisPropertyTest seed=" + seed + " (rerun with -Drtfs.test.seed=" + seed + ")");
        SplittableRandom r = new SplittableRandom(seed);
        UpstreamSchemas fc = UpstreamSchemas.swagger2(VendoredSchemas.require("firecracker.yaml"), true);
        UpstreamSchemas ch = UpstreamSchemas.openApi30(VendoredSchemas.require("cloud-hypervisor.yaml"), true);
        VmSynthesizer synth = VmSynthesizer.standard();
        int synthesized = 0;
        for (int i = 0; i < CASES; i++) {
            TestConfigs c = TestConfigs.example();
            c.agentId = r.nextInt(20) == 0 ? pick(r, "Agent", "-x", "a b", "") : "a" + "x.-_9".repeat(13).substring(0, r.nextInt(63));
            c.kernelImage = pick(r, "k", "/boot/vmlinuz", "dir with space/vmlinuz", "a,b/vmlinuz");
            c.rootfsImage = pick(r, "r.img", "/var/lib/img/rootfs.ext4", "odd,name.img", "it's.img");
            c.cmdline = pick(r, "", "console=ttyS0", "root=/dev/sda rw", "quiet panic=5 reboot=t", "console=none root=/dev/vdb");
            c.ro = r.nextInt(10) > 0;
            c.vcpus = (long) r.nextInt(-2, 40);
            c.memMb = (long) r.nextInt(0, 4096);
            c.nicEnabled = r.nextBoolean();
            c.proxyNs = r.nextBoolean() ? "egress-proxy-ns" : null;
            c.vsockEnabled = r.nextBoolean();
            c.cid = r.nextInt(10) == 0 ? null : r.nextLong(0, 5_000_000_000L);
            c.capsMount = r.nextInt(5) == 0 ? null : (r.nextInt(8) == 0 ? MountMode.RW : MountMode.RO);
            Path run = Path.of("/" + "r".repeat(1 + r.nextInt(110)));
            SynthOptions options = SynthOptions.defaults(run);

            boolean idOk = c.agentId.matches("[a-z0-9][a-z0-9._-]{0,62}");
            boolean vsockOk = !c.vsockEnabled || c.cid != null && c.cid >= 3 && c.cid <= 4294967294L;
            boolean configOk = idOk && c.ro && c.vcpus >= 1 && c.vcpus <= 32 && c.memMb >= 64
                    && c.capsMount != MountMode.RW && vsockOk;

            int target = r.nextInt(3);
            // Cloud Hypervisor's option syntax cannot carry a ',' in a disk path (QEMU's doubles it, JSON needs nothing).
            boolean pathsOk = target != 1 || !c.rootfsImage.contains(",");
            Optional<ValidatedConfig> validated = c.validate();
            if (!configOk) {
                // An invalid config never becomes a ValidatedConfig, so it cannot reach synthesis.
                assertThat(validated).as("seed %d case %d: %s", seed, i, c.text()).isEmpty();
                continue;
            }
            assertThat(validated).as("seed %d case %d: %s", seed, i, c.load().diagnostics()).isPresent();
            SynthResult<?> result = switch (target) {
                case 0 -> synth.firecracker(validated.get(), options);
                case 1 -> synth.cloudHypervisor(validated.get(), options);
                default -> synth.qemu(validated.get(), options);
            };
            String what = "seed " + seed + " case " + i + " " + result.diagnostics();
            if (result instanceof SynthResult.Refused<?> refused) {
                // The refusals left for a valid config: a run dir too long for its sockets, a path the target's
                // option syntax cannot carry.
                assertThat(refused.diagnostics()).as(what).filteredOn(Diagnostic::isError).extracting(Diagnostic::code)
                        .containsAnyOf(SynthCode.SYNTH_SOCKET_PATH_TOO_LONG, SynthCode.SYNTH_PATH_UNSAFE)
                        .allMatch(code -> code.equals(SynthCode.SYNTH_SOCKET_PATH_TOO_LONG)
                                || code.equals(SynthCode.SYNTH_PATH_UNSAFE) && !pathsOk);
                continue;
            }
            assertThat(pathsOk).as(what + ": a ',' path was not refused").isTrue();
            synthesized++;
            Object spec = ((SynthResult.Synthesized<?>) result).spec();
            switch (spec) {
                case FirecrackerSpec f -> {
                    assertThat(fc.validate("FullVmConfiguration", VmmJson.tree(f.config()))).as(what).isEmpty();
                    assertThat(f.config().bootSource().bootArgs()).doesNotContain("root=");
                    if (f.config().networkInterfaces() != null) {
                        for (NetworkInterface n : f.config().networkInterfaces()) {
                            assertThat(n.hostDevName().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(15);
                        }
                    }
                    if (f.config().vsock() != null) {
                        assertThat((f.config().vsock().udsPath() + "_" + RunDirLayout.CONTROL_VSOCK_PORT)
                                .getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(107);
                    }
                }
                case CloudHypervisorSpec h -> {
                    assertThat(ch.validate("VmConfig", VmmJson.tree(h.vmConfig()))).as(what).isEmpty();
                    assertThat(h.vmConfig().payload().cmdline()).startsWith("root=/dev/vda ro").doesNotContain(" rw");
                }
                case QemuSpec q -> {
                    assertThat(q.controlSocket().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(107);
                    assertThat(q.argv()).contains("-no-reboot");
                }
                default -> throw new AssertionError(spec);
            }
        }
        assertThat(synthesized).as("enough valid cases to mean something").isGreaterThan(CASES / 20);
    }
}
