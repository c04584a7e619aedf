/**
 * VM spec synthesis (DESIGN §7): an agent config to what Firecracker, Cloud Hypervisor or QEMU microvm accept
 * the first time, checked against the upstream schemas in the upstream schemas (vendored in vmm/src/test/resources/upstream).
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.rtfs.microvm.vmm.VmSynthesizer}: {@code firecracker(AgentConfig, SynthOptions)},
 *       {@code cloudHypervisor(..)}, {@code qemu(..)} → {@link dev.rtfs.microvm.vmm.SynthResult}
 *       ({@code Synthesized(spec, warnings)} | {@code Refused(diagnostics)}); {@code render(ConfigCheckResult |
 *       AgentConfig, SynthOptions, Target)} → the text {@code synth} prints. Never throws for bad configs.
 *       {@code VmSynthesizer.standard()} measures with SHA-256 and keeps QEMU on TCG; pass a
 *       {@link dev.rtfs.microvm.vmm.qemu.KvmBootProbe} to allow KVM when a probe guest really boots.</li>
 *   <li>{@link dev.rtfs.microvm.vmm.SynthOptions}: run dir, base dir for relative image paths, binaries, jailer
 *       identity, proxy port, deploy mode, {@code --expect-rootfs-hash}, image.lock hash, initrd, capability
 *       store image.</li>
 *   <li>Specs: {@link dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec} (config file model, API calls with
 *       InstanceStart last, jailer argv with {@code --netns /var/run/netns/<proxy_ns>}, config-file argv),
 *       {@link dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec} (vm.create body, API calls, launch and
 *       CLI argv), {@link dev.rtfs.microvm.vmm.qemu.QemuSpec} (argv, control and QMP sockets).</li>
 *   <li>Host names: {@link dev.rtfs.microvm.vmm.DeviceNames} (tap {@code rtv<12 base32>}, locally administered
 *       MAC, jailer id); {@link dev.rtfs.microvm.vmm.RunDirLayout} (socket/log paths, 107-byte check).</li>
 *   <li>Attestation: {@link dev.rtfs.microvm.vmm.attest.AttestationVerifier} (deploy check, returns the
 *       measurement for the causal chain), {@link dev.rtfs.microvm.vmm.attest.ImageLock} (image.lock format).</li>
 *   <li>Launch plumbing: {@link dev.rtfs.microvm.vmm.api.UnixSocketHttpClient} +
 *       {@link dev.rtfs.microvm.vmm.api.ApiSequence} (Firecracker / Cloud Hypervisor API sockets),
 *       {@link dev.rtfs.microvm.vmm.qemu.BootWatchdog} (marker + deadline + retry),
 *       {@link dev.rtfs.microvm.vmm.image.GuestInitramfs} / {@link dev.rtfs.microvm.vmm.image.InitramfsBuilder}
 *       (deterministic initramfs from busybox-static and the kernel's virtio modules).</li>
 * </ul>
 */
package dev.rtfs.microvm.vmm;
