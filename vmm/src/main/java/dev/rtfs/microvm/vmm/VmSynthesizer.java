package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.EgressTlsMode;
import dev.rtfs.microvm.vmm.attest.AttestationOutcome;
import dev.rtfs.microvm.vmm.attest.AttestationVerifier;
import dev.rtfs.microvm.vmm.attest.ImageMeasurer;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec;
import dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSynthesizer;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSynthesizer;
import dev.rtfs.microvm.vmm.qemu.AcceleratorProbe;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import dev.rtfs.microvm.vmm.qemu.QemuSynthesizer;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Entry point of spec synthesis: validated config → blueprint → run-dir and (on deploy) attestation checks → target
 * spec. Takes only a {@link ValidatedConfig}, so an invalid config cannot reach it; never throws, and every refusal of
 * its own (SYNTH_*, ATTESTATION_*) is a {@link SynthResult.Refused} with positioned diagnostics.
 */
public final class VmSynthesizer {

    private final AttestationVerifier attestation;
    private final AcceleratorProbe accelerator;

    public VmSynthesizer(ImageMeasurer measurer, AcceleratorProbe accelerator) {
        this.attestation = new AttestationVerifier(Objects.requireNonNull(measurer));
        this.accelerator = Objects.requireNonNull(accelerator);
    }

    /** Real sha256 measurement; QEMU under TCG (templates must not depend on the host). */
    public static VmSynthesizer standard() {
        return new VmSynthesizer(new Sha256ImageMeasurer(), AcceleratorProbe.tcg());
    }

    public SynthResult<FirecrackerSpec> firecracker(ValidatedConfig config, SynthOptions options) {
        return run(config, options, Target.FIRECRACKER, vm -> FirecrackerSynthesizer.synthesize(vm, options));
    }

    public SynthResult<CloudHypervisorSpec> cloudHypervisor(ValidatedConfig config, SynthOptions options) {
        return run(config, options, Target.CLOUD_HYPERVISOR, vm -> CloudHypervisorSynthesizer.synthesize(vm, options));
    }

    public SynthResult<QemuSpec> qemu(ValidatedConfig config, SynthOptions options) {
        return run(config, options, Target.QEMU, vm -> QemuSynthesizer.synthesize(vm, options, accelerator.probe()));
    }

    /** The text {@code synth --target} prints (see {@link SpecRenderer}). */
    public SynthResult<String> render(ValidatedConfig config, SynthOptions options, Target target) {
        return switch (target) {
            case FIRECRACKER -> firecracker(config, options).map(SpecRenderer::firecrackerConfig);
            case FIRECRACKER_API -> firecracker(config, options).map(SpecRenderer::firecrackerApi);
            case CLOUD_HYPERVISOR -> cloudHypervisor(config, options).map(SpecRenderer::cloudHypervisorBody);
            case CLOUD_HYPERVISOR_CLI -> cloudHypervisor(config, options).map(s -> SpecRenderer.argv(s.cliArgv()));
            case QEMU -> qemu(config, options).map(s -> SpecRenderer.argv(s.argv()));
        };
    }

    /** As {@link #render(ValidatedConfig, SynthOptions, Target)}, refusing invalid configs with their own diagnostics. */
    public SynthResult<String> render(ConfigCheckResult checked, SynthOptions options, Target target) {
        if (checked.validated().isEmpty()) {
            return refusedWith(checked.diagnostics());
        }
        SynthResult<String> result = render(checked.validated().get(), options, target);
        // Keep the config's warnings next to synthesis's own.
        List<Diagnostic> all = new ArrayList<>(checked.diagnostics());
        all.addAll(result.diagnostics());
        return switch (result) {
            case SynthResult.Synthesized<String> s -> new SynthResult.Synthesized<>(s.spec(), all, s.measured());
            case SynthResult.Refused<String> r -> new SynthResult.Refused<>(all, r.measured());
        };
    }

    private static <S> SynthResult<S> refusedWith(List<Diagnostic> diagnostics) {
        if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
            diagnostics = List.of(Diagnostic.error(ConfigCode.CONFIG_NOT_AGENT_CONFIG, "",
                    "the file does not evaluate to an agent config", "end the file with (agent.config …)",
                    Span.NONE));
        }
        return new SynthResult.Refused<>(diagnostics);
    }

    private <S> SynthResult<S> run(ValidatedConfig config, SynthOptions options, Target target, Function<VmBlueprint, S> build) {
        BlueprintReader.Read read = BlueprintReader.read(config);
        List<Diagnostic> out = new ArrayList<>(read.diagnostics());
        if (read.blueprint().isEmpty()) {
            return new SynthResult.Refused<>(out);
        }
        VmBlueprint vm = read.blueprint().get();
        out.addAll(new RunDirLayout(options.runDir()).check(target, vm.vsockCid().isPresent()));
        if (target == Target.FIRECRACKER) {
            String jailed = FirecrackerSynthesizer.jailedApiSocket(vm, options, new RunDirLayout(options.runDir()));
            int bytes = jailed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > RunDirLayout.MAX_SOCKET_PATH_BYTES) {
                out.add(Diagnostic.error(SynthCode.SYNTH_SOCKET_PATH_TOO_LONG, "",
                        "jailed API socket path '" + jailed + "' is " + bytes + " bytes; Unix sockets allow at most "
                                + RunDirLayout.MAX_SOCKET_PATH_BYTES,
                        "use a shorter jailer chroot base dir (default /srv/jailer)", Span.NONE));
            }
        }
        if (target == Target.CLOUD_HYPERVISOR) {
            RunDirLayout run = new RunDirLayout(options.runDir());
            List<String> optionPaths = new ArrayList<>(List.of(run.cloudHypervisorApiSocket().toString(),
                    run.vsockSocket().toString(), options.resolve(vm.rootfsImage())));
            if (vm.capabilitiesMount()) optionPaths.add(FirecrackerSynthesizer.capabilitiesImage(vm, options));
            options.runConfigDisk().ifPresent(d -> optionPaths.add(d.toString()));
            optionPaths.stream().filter(p -> p.contains(",")).forEach(p -> out.add(Diagnostic.error(
                    SynthCode.SYNTH_PATH_UNSAFE, "", "path '" + p + "' contains ',', which Cloud Hypervisor's "
                            + "option syntax (path=…,readonly=on) splits on", "rename the file or run dir without ','",
                    Span.NONE)));
        }
        if (KernelCmdline.parse(vm.kernelCmdline()).hasKey("root")) {
            out.add(Diagnostic.warning(SynthCode.SYNTH_CMDLINE_ROOT, "microvm.kernel.cmdline",
                    "root= in the kernel cmdline is ignored: the root device is the read-only :rootfs image",
                    "remove root= from :cmdline", vm.cmdlineSpan()));
        }
        if (target == Target.QEMU && options.initrd().isEmpty()) {
            out.add(Diagnostic.warning(SynthCode.SYNTH_QEMU_NO_INITRD, "microvm.kernel.image",
                    "no initramfs: the kernel mounts /dev/vda itself, so virtio-mmio and virtio-blk must be built in "
                            + "(Debian's cloud kernel has them as modules)",
                    "pass --initrd with the initramfs from `rtfs-microvm image build`", Span.NONE));
        }
        Map<String, String> measured = Map.of();
        if (options.deploy()) {
            AttestationOutcome attested = attestation.verify(vm, options);
            out.addAll(attested.diagnostics());
            measured = attested.byLabel();
        }
        KernelCmdline cmdline = KernelCmdline.parse(vm.kernelCmdline())
                .without(KernelCmdline.AGENT_ID_PARAM)
                .without(KernelCmdline.TLS_PINS_PARAM)
                .without(KernelCmdline.RUN_CONFIG_PARAM)
                .withDefaults(KernelCmdline.AGENT_ID_PARAM + "=" + vm.agentId());
        // Under :tls :intercept the guest talks TLS to the proxy, whose leaf no origin pin matches: the proxy
        // enforces the pins on its own connection to the origin, and the guest gets none.
        boolean intercepted = config.config().egressTlsMode() == EgressTlsMode.INTERCEPT;
        List<String> pins = intercepted ? List.of() : TlsPins.valid(config.config().egressTlsPins().orElse(List.of()));
        if (!pins.isEmpty()) {
            cmdline = cmdline.withDefaults(KernelCmdline.TLS_PINS_PARAM + "=" + String.join(",", pins));
        }
        if (options.runConfigDisk().isPresent()) {
            cmdline = cmdline.withDefaults(KernelCmdline.RUN_CONFIG_PARAM + "=" + FirecrackerSynthesizer.runConfigDevice(vm));
        }
        VmBlueprint named = vm.withKernelCmdline(cmdline.toString());
        return SynthResult.of(out, measured, () -> build.apply(named));
    }
}
