package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.vmm.api.ApiCall;
import dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec;
import dev.rtfs.microvm.vmm.firecracker.Drive;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec;
import dev.rtfs.microvm.vmm.qemu.Accelerator;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The §7 rules, one by one, on the synthesized specs. */
class SynthesisRulesTest {

    private static final Path RUN = Path.of("/run/rtfs/agent.demo");
    private final VmSynthesizer synth = VmSynthesizer.standard();

    private FirecrackerSpec firecracker(TestConfigs c) {
        return spec(synth.firecracker(c.build(), SynthOptions.defaults(RUN)));
    }

    private static <S> S spec(SynthResult<S> r) {
        assertThat(r).as(r.diagnostics().toString()).isInstanceOf(SynthResult.Synthesized.class);
        return ((SynthResult.Synthesized<S>) r).spec();
    }

    private static List<DiagnosticCode> codes(SynthResult<?> r) {
        assertThat(r).isInstanceOf(SynthResult.Refused.class);
        return r.diagnostics().stream().map(Diagnostic::code).toList();
    }

    @Test
    void firecrackerNeverGetsRootAndKeepsTheConfigCmdline() {
        TestConfigs c = TestConfigs.example();
        c.cmdline = "console=ttyS0 root=/dev/sda rw quiet";
        SynthResult<FirecrackerSpec> r = synth.firecracker(c.build(), SynthOptions.defaults(RUN));
        String bootArgs = spec(r).config().bootSource().bootArgs();
        assertThat(bootArgs).doesNotContain("root=").startsWith("rw quiet").contains("reboot=k", "panic=1", "pci=off");
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCode.SYNTH_CMDLINE_ROOT);
        assertThat(r.diagnostics().getFirst().span().line()).isEqualTo(12);
    }

    @Test
    void everyTargetWritesTheGuestLogConsoleLastWhateverTheConfigSaysAndConsoleNoneOnlyMeansNoInteractiveConsole() {
        TestConfigs c = TestConfigs.example();
        for (String configured : List.of("console=none", "", "console=hvc0 quiet", "console=ttyS0 console=none")) {
            c.cmdline = configured;
            List<String> cmdlines = List.of(
                    spec(synth.firecracker(c.build(), SynthOptions.defaults(RUN))).config().bootSource().bootArgs(),
                    spec(synth.cloudHypervisor(c.build(), SynthOptions.defaults(RUN))).vmConfig().payload().cmdline(),
                    argAfter(spec(synth.qemu(c.build(), SynthOptions.defaults(RUN))).argv(), "-append"));
            for (String cmdline : cmdlines) {
                List<String> params = List.of(cmdline.split(" "));
                assertThat(params).as("%s -> %s", configured, cmdline).endsWith("console=ttyS0")
                        .doesNotContain("console=none").containsOnlyOnce("console=ttyS0");
                if (configured.contains("hvc0")) {
                    assertThat(params).as("a console the config names is kept").contains("console=hvc0");
                }
            }
        }
    }

    @Test
    void aPanickedQemuGuestAlwaysEndsTheVmWhateverPanicTheConfigAsksFor() {
        TestConfigs c = TestConfigs.example();
        c.cmdline = "panic=0 console=none";
        List<String> params = List.of(argAfter(spec(synth.qemu(c.build(), SynthOptions.defaults(RUN))).argv(), "-append")
                .split(" "));
        assertThat(params).contains("panic=-1").doesNotContain("panic=0");
        assertThat(spec(synth.qemu(c.build(), SynthOptions.defaults(RUN))).argv()).contains("-no-reboot");
    }

    @Test
    void everyTargetTellsTheGuestItsAgentIdAndTheConfigCannotClaimAnother() {
        TestConfigs c = TestConfigs.example();
        c.cmdline = "console=ttyS0 rtfs.agent_id=someone.else";
        ValidatedConfig config = c.build();
        String id = "rtfs.agent_id=" + config.config().agentIdValue().orElseThrow();
        SynthOptions o = SynthOptions.defaults(RUN);
        assertThat(spec(synth.firecracker(config, o)).config().bootSource().bootArgs()).contains(id).doesNotContain("someone.else");
        assertThat(spec(synth.cloudHypervisor(config, o)).vmConfig().payload().cmdline()).contains(id).doesNotContain("someone.else");
        String append = spec(synth.qemu(config, o)).argv().get(spec(synth.qemu(config, o)).argv().indexOf("-append") + 1);
        assertThat(append).contains(id).doesNotContain("someone.else");
    }

    @Test
    void everyTargetTellsTheGuestTheConfigsValidTlsPinsAndDropsPlaceholders() {
        String pin = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        TestConfigs c = TestConfigs.example();
        c.cmdline = "console=ttyS0 rtfs.tls_pins=sha256/forged";
        c.tlsPins = List.of(pin, "sha256/...");
        ValidatedConfig config = c.build();
        SynthOptions o = SynthOptions.defaults(RUN);
        String expected = "rtfs.tls_pins=" + pin;
        List<String> qemu = spec(synth.qemu(config, o)).argv();
        for (String cmdline : List.of(spec(synth.firecracker(config, o)).config().bootSource().bootArgs(),
                spec(synth.cloudHypervisor(config, o)).vmConfig().payload().cmdline(),
                qemu.get(qemu.indexOf("-append") + 1))) {
            assertThat(List.of(cmdline.split(" "))).contains(expected).filteredOn(p -> p.startsWith("rtfs.tls_pins="))
                    .containsExactly(expected);
        }

        TestConfigs placeholderOnly = TestConfigs.example();
        placeholderOnly.cmdline = "console=ttyS0 rtfs.tls_pins=sha256/forged";
        placeholderOnly.tlsPins = List.of("sha256/...");
        List<String> argv = spec(synth.qemu(placeholderOnly.build(), o)).argv();
        assertThat(argv.get(argv.indexOf("-append") + 1)).doesNotContain("rtfs.tls_pins");
    }

    @Test
    void underInterceptionTheGuestGetsNoPinsBecauseTheProxyEnforcesThemOnTheOriginConnection() {
        String pin = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        TestConfigs c = TestConfigs.example();
        c.cmdline = "console=ttyS0 rtfs.tls_pins=sha256/forged";
        c.tlsPins = List.of(pin);
        c.tls = "intercept";
        List<String> argv = spec(synth.qemu(c.build(), SynthOptions.defaults(RUN))).argv();
        assertThat(argv.get(argv.indexOf("-append") + 1)).doesNotContain("rtfs.tls_pins");
    }

    @Test
    void drivesAreReadOnlyWithOneRootAndTheCapabilityStoreOnlyWhenMounted() {
        List<Drive> drives = firecracker(TestConfigs.example()).config().drives();
        assertThat(drives).extracting(Drive::driveId).containsExactly("rootfs", "capabilities");
        assertThat(drives).allMatch(d -> Boolean.TRUE.equals(d.isReadOnly()));
        assertThat(drives).filteredOn(Drive::isRootDevice).hasSize(1);
        assertThat(drives).allMatch(d -> DeviceNames.FIRECRACKER_ID.matcher(d.driveId()).matches());

        TestConfigs noCaps = TestConfigs.example();
        noCaps.capsMount = null;
        assertThat(firecracker(noCaps).config().drives()).extracting(Drive::driveId).containsExactly("rootfs");
    }

    @Test
    void everyTargetAttachesTheRunConfigDiskReadOnlyAndLastAndNamesItsGuestDeviceOnTheCmdline() {
        Path disk = RUN.resolve("run-config.img");
        SynthOptions o = SynthOptions.defaults(RUN).withRunConfigDisk(disk);
        TestConfigs c = TestConfigs.example();
        c.cmdline = "console=none rtfs.run_config=vda"; // the config cannot point the guest at another device
        List<Drive> drives = spec(synth.firecracker(c.build(), o)).config().drives();
        assertThat(drives).extracting(Drive::driveId).containsExactly("rootfs", "capabilities", "run_config");
        assertThat(drives.getLast().pathOnHost()).isEqualTo(disk.toString());
        assertThat(drives).allMatch(d -> Boolean.TRUE.equals(d.isReadOnly()));
        assertThat(drives).filteredOn(Drive::isRootDevice).hasSize(1);

        CloudHypervisorSpec ch = spec(synth.cloudHypervisor(c.build(), o));
        assertThat(ch.vmConfig().disks()).extracting(d -> d.id()).containsExactly("rootfs", "capabilities", "run_config");
        assertThat(ch.vmConfig().disks()).allMatch(d -> d.readonly());
        assertThat(ch.cliArgv()).contains("path=" + disk + ",readonly=on,id=run_config");

        List<String> qemu = spec(synth.qemu(c.build(), o)).argv();
        assertThat(qemu).contains("id=run_config,file=" + disk + ",format=raw,if=none,readonly=on");
        assertThat(qemu.indexOf("virtio-blk-device,drive=run_config")).isGreaterThan(qemu.indexOf("virtio-blk-device,drive=caps"));

        for (String cmdline : List.of(argAfter(qemu, "-append"), ch.vmConfig().payload().cmdline(),
                spec(synth.firecracker(c.build(), o)).config().bootSource().bootArgs())) {
            assertThat(cmdline.split(" ")).filteredOn(p -> p.startsWith("rtfs.run_config=")).containsExactly("rtfs.run_config=vdc");
        }
        TestConfigs noCaps = TestConfigs.example();
        noCaps.capsMount = null;
        assertThat(argAfter(spec(synth.qemu(noCaps.build(), o)).argv(), "-append")).contains("rtfs.run_config=vdb");
        // Without a disk: no drive and no parameter, whatever the config's cmdline says.
        List<String> plain = spec(synth.qemu(c.build(), SynthOptions.defaults(RUN))).argv();
        assertThat(String.join(" ", plain)).doesNotContain("run_config");
    }

    @Test
    void machineConfigHasSmtOffAndTheConfiguredResources() {
        TestConfigs c = TestConfigs.example();
        c.vcpus = 2L;
        c.memMb = 512L;
        var m = firecracker(c).config().machineConfig();
        assertThat(m.vcpuCount()).isEqualTo(2);
        assertThat(m.memSizeMib()).isEqualTo(512);
        assertThat(m.smt()).isFalse();
    }

    @Test
    void nicOnlyWhenEnabled() {
        assertThat(firecracker(TestConfigs.example()).config().networkInterfaces()).hasSize(1);
        FirecrackerSpec air = firecracker(TestConfigs.airGapped());
        assertThat(air.config().networkInterfaces()).isNull();
        assertThat(VmmJson.tree(air.config()).has("network-interfaces")).isFalse();
        assertThat(air.apiCalls()).extracting(ApiCall::path).noneMatch(p -> p.startsWith("/network-interfaces"));
        assertThat(air.jailerArgv()).doesNotContain("--netns");

        CloudHypervisorSpec ch = spec(synth.cloudHypervisor(TestConfigs.airGapped().build(), SynthOptions.defaults(RUN)));
        assertThat(ch.vmConfig().net()).isNull();
        assertThat(ch.cliArgv()).doesNotContain("--net").first().isEqualTo("cloud-hypervisor");
        QemuSpec q = spec(synth.qemu(TestConfigs.airGapped().build(), SynthOptions.defaults(RUN)));
        assertThat(String.join(" ", q.argv())).doesNotContain("-netdev", "virtio-net");
    }

    @Test
    void apiSequenceEndsWithASingleInstanceStartAndJailerJoinsTheProxyNamespace() {
        FirecrackerSpec fc = firecracker(TestConfigs.example());
        assertThat(fc.apiCalls()).extracting(ApiCall::path).containsExactly("/machine-config", "/boot-source",
                "/drives/rootfs", "/drives/capabilities", "/network-interfaces/eth0", "/vsock", "/logger", "/metrics",
                "/actions");
        assertThat(fc.apiCalls()).allMatch(c -> c.method().equals("PUT"));
        assertThat(fc.apiCalls().getLast().body().get("action_type").asString()).isEqualTo("InstanceStart");
        assertThat(fc.jailerArgv()).containsSubsequence("--netns", "/var/run/netns/egress-proxy-ns");
        // Bodies equal the config-file objects: the two forms describe one VM.
        assertThat(fc.apiCalls().get(1).body()).isEqualTo(VmmJson.tree(fc.config().bootSource()));
    }

    @Test
    void vsockAndLogsLiveInTheRunDir() {
        FirecrackerSpec fc = firecracker(TestConfigs.example());
        assertThat(fc.config().vsock().udsPath()).startsWith(RUN + "/");
        assertThat(fc.config().vsock().guestCid()).isEqualTo(3);
        assertThat(fc.config().logger().logPath()).startsWith(RUN + "/");
        assertThat(fc.config().metrics().metricsPath()).startsWith(RUN + "/");
    }

    @Test
    void cloudHypervisorWritesRootItselfAndMemoryInBytes() {
        CloudHypervisorSpec ch = spec(synth.cloudHypervisor(TestConfigs.example().build(), SynthOptions.defaults(RUN)));
        assertThat(ch.vmConfig().payload().cmdline()).startsWith("root=/dev/vda ro ");
        assertThat(ch.vmConfig().memory().size()).isEqualTo(256L * 1024 * 1024);
        assertThat(ch.vmConfig().disks()).allMatch(d -> d.readonly());
        assertThat(ch.cliArgv()).containsSubsequence("ip", "netns", "exec", "egress-proxy-ns", "cloud-hypervisor");
        assertThat(ch.apiCalls()).extracting(ApiCall::path).containsExactly("/api/v1/vm.create", "/api/v1/vm.boot");
    }

    @Test
    void qemuUsesTcgWithTheTscFixAndOnlyTheProxyRouteOut() {
        SynthOptions o = SynthOptions.defaults(RUN).withProxyPort(18001).withInitrd(Path.of("/img/initrd.cpio"));
        QemuSpec q = spec(synth.qemu(TestConfigs.example().build(), o));
        String argv = String.join(" ", q.argv());
        assertThat(q.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(q.argv()).containsSubsequence("-accel", "tcg").contains("-no-reboot", "-nodefaults");
        assertThat(argv).contains("tsc_early_khz=2000000")
                .contains("restrict=on,guestfwd=tcp:10.0.2.100:3128-cmd:/bin/busybox nc 127.0.0.1 18001")
                .contains("file=images/agent-rootfs.img,format=raw,if=none,readonly=on")
                .contains("-chardev socket,id=ctl,path=" + RUN + "/control.sock,reconnect=1")
                .contains("-qmp unix:" + RUN + "/qmp.sock,server=on,wait=off")
                .doesNotContain("root=");

        VmSynthesizer kvm = new VmSynthesizer(p -> "sha256:x", () -> Accelerator.KVM);
        QemuSpec k = spec(kvm.qemu(TestConfigs.example().build(), o));
        assertThat(k.argv()).containsSubsequence("-accel", "kvm");
        assertThat(String.join(" ", k.argv())).doesNotContain("tsc_early_khz");
    }

    @Test
    void runDirsThatBreakTheSocketLimitAreRefusedClearly() {
        // vsock.sock + "_4294967295" is the longest socket path; find the longest run dir that still fits.
        String suffix = "/vsock.sock" + "_4294967295";
        int fit = RunDirLayout.MAX_SOCKET_PATH_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        Path ok = Path.of("/" + "d".repeat(fit - 1));
        Path tooLong = Path.of("/" + "d".repeat(fit));
        assertThat(synth.firecracker(TestConfigs.example().build(), SynthOptions.defaults(ok)))
                .isInstanceOf(SynthResult.Synthesized.class);
        SynthResult<FirecrackerSpec> refused = synth.firecracker(TestConfigs.example().build(), SynthOptions.defaults(tooLong));
        assertThat(codes(refused)).contains(SynthCode.SYNTH_SOCKET_PATH_TOO_LONG);
        assertThat(refused.diagnostics().getFirst().message()).contains("108 bytes", "107");
        assertThat(codes(synth.firecracker(TestConfigs.example().build(), SynthOptions.defaults(Path.of("rel/run")))))
                .containsExactly(SynthCode.SYNTH_RUN_DIR);
    }

    @Test
    void jailedApiSocketFitsTheSocketLimitForEveryAgentIdLength() {
        for (int length = 1; length <= 63; length++) {
            TestConfigs c = TestConfigs.example();
            c.agentId = "a".repeat(length);
            FirecrackerSpec fc = firecracker(c);
            assertThat(fc.jailedApiSocket().getBytes(StandardCharsets.UTF_8).length).as(fc.jailedApiSocket())
                    .isLessThanOrEqualTo(RunDirLayout.MAX_SOCKET_PATH_BYTES);
            String id = fc.jailerArgv().get(fc.jailerArgv().indexOf("--id") + 1);
            assertThat(fc.jailedApiSocket()).isEqualTo("/srv/jailer/firecracker/" + id + "/root/firecracker.sock");
        }
        // A chroot base that leaves no room at all is refused, not rendered.
        SynthOptions deep = new SynthOptions(RUN, java.util.Optional.empty(), VmmBinaries.DEFAULT,
                new JailerOptions(65534, 65534, "/" + "j".repeat(80)), 3128, false, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty());
        SynthResult<FirecrackerSpec> refused = synth.firecracker(TestConfigs.example().build(), deep);
        assertThat(codes(refused)).containsExactly(SynthCode.SYNTH_SOCKET_PATH_TOO_LONG);
        assertThat(refused.diagnostics().getFirst().message()).contains("jailed API socket");
    }

    @Test
    void proxyNamespaceMustBeAPlainNameNotAPath() {
        for (String bad : List.of("../../etc x", "", "a/b", "..", "ns;reboot")) {
            TestConfigs c = TestConfigs.example();
            c.proxyNs = bad;
            SynthResult<FirecrackerSpec> r = synth.firecracker(c.build(), SynthOptions.defaults(RUN));
            assertThat(codes(r)).as(bad).containsExactly(SynthCode.SYNTH_PROXY_NS);
            assertThat(r.diagnostics().getFirst().span().line()).isEqualTo(21);
            assertThat(codes(synth.cloudHypervisor(c.build(), SynthOptions.defaults(RUN)))).containsExactly(SynthCode.SYNTH_PROXY_NS);
        }
        TestConfigs nicOff = TestConfigs.example();
        nicOff.proxyNs = "a/b";
        nicOff.nicEnabled = false;
        assertThat(synth.firecracker(nicOff.build(), SynthOptions.defaults(RUN))).as("unused without a NIC")
                .isInstanceOf(SynthResult.Synthesized.class);
    }

    @Test
    void commaInADiskPathIsRefusedForCloudHypervisorOnly() {
        TestConfigs c = TestConfigs.example();
        c.rootfsImage = "/img/a,b.img";
        SynthResult<CloudHypervisorSpec> ch = synth.cloudHypervisor(c.build(), SynthOptions.defaults(RUN));
        assertThat(codes(ch)).containsExactly(SynthCode.SYNTH_PATH_UNSAFE);
        assertThat(ch.diagnostics().getFirst().message()).contains("/img/a,b.img");
        assertThat(spec(synth.qemu(c.build(), SynthOptions.defaults(RUN))).argv())
                .contains("id=root,file=/img/a,,b.img,format=raw,if=none,readonly=on");
        assertThat(spec(synth.firecracker(c.build(), SynthOptions.defaults(RUN))).config().drives().getFirst().pathOnHost())
                .isEqualTo("/img/a,b.img");
    }

    @Test
    void anInvalidConfigCannotReachSynthesisValidationRefusesIt() {
        TestConfigs broken = TestConfigs.example();
        broken.ro = false;
        broken.vcpus = 0L;
        broken.cid = 2L;
        broken.capsMount = MountMode.RW;
        broken.kernelImage = "";
        // Synthesis takes only a ValidatedConfig, which validation makes only without errors.
        assertThat(broken.validate()).isEmpty();
        assertThat(broken.load().config()).isPresent();
        assertThat(broken.load().diagnostics()).filteredOn(Diagnostic::isError).extracting(Diagnostic::code)
                .contains(ConfigCode.MICROVM_ROOTFS_RW, ConfigCode.MICROVM_VCPUS, ConfigCode.MICROVM_VSOCK_CID,
                        ConfigCode.MICROVM_CAPS_MOUNT_RO, ConfigCode.CONFIG_TYPE);
        ConfigCheckResult checked = broken.load();
        SynthResult<String> r = synth.render(checked, SynthOptions.defaults(RUN), Target.QEMU);
        assertThat(r).isInstanceOf(SynthResult.Refused.class);
        assertThat(r.diagnostics()).isEqualTo(checked.diagnostics());
    }

    private static String argAfter(List<String> argv, String option) {
        return argv.get(argv.indexOf(option) + 1);
    }
}
