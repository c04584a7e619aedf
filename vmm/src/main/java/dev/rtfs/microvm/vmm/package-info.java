/**
 * VM spec synthesis and deploy-time checks: an agent config to what Firecracker, Cloud Hypervisor or
 * QEMU microvm accept the first time, checked against the upstream schemas (vendored in
 * vmm/src/test/resources/upstream), and the attestation of every boot artifact against the hashes it is given.
 * How the guest image is made (kernel choice, modules, initramfs, ext4 images, image.lock) is the guest module's
 * ({@code dev.rtfs.microvm.guest.image}, {@code dev.rtfs.microvm.guest}); vmm never builds or reads an image's files
 * beyond measuring them.
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.rtfs.microvm.vmm.VmSynthesizer}: {@code firecracker(AgentConfig, SynthOptions)},
 *       {@code cloudHypervisor(..)}, {@code qemu(..)} → {@link dev.rtfs.microvm.vmm.SynthResult}
 *       ({@code Synthesized(spec, warnings)} | {@code Refused(diagnostics)}); {@code render(ConfigCheckResult |
 *       AgentConfig, SynthOptions, Target)} → the text {@code synth} prints. Never throws for bad configs.
 *       {@code VmSynthesizer.standard()} measures with SHA-256 and keeps QEMU on TCG; pass a
 *       {@link dev.rtfs.microvm.vmm.qemu.KvmBootProbe} to allow KVM when a probe guest really boots (the caller
 *       hands it the probe initramfs; the guest module's {@code KvmProbeInitramfs} writes one).</li>
 *   <li>{@link dev.rtfs.microvm.vmm.SynthOptions}: run dir, base dir for relative image paths, binaries, jailer
 *       identity, proxy port, deploy mode, {@code --expect-rootfs-hash}, the image.lock hashes
 *       ({@link dev.rtfs.microvm.vmm.attest.ExpectedHashes}), initrd, capability store image.</li>
 *   <li>Specs: {@link dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec} (config file model, API calls with
 *       InstanceStart last, jailer argv with {@code --netns /var/run/netns/<proxy_ns>}, config-file argv),
 *       {@link dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec} (vm.create body, API calls, launch and
 *       CLI argv), {@link dev.rtfs.microvm.vmm.qemu.QemuSpec} (argv, control and QMP sockets).</li>
 *   <li>Host names: {@link dev.rtfs.microvm.vmm.DeviceNames} (tap {@code rtv<12 base32>}, locally administered
 *       MAC, jailer id); {@link dev.rtfs.microvm.vmm.RunDirLayout} (socket/log paths, 107-byte check).</li>
 *   <li>Attestation: {@link dev.rtfs.microvm.vmm.attest.AttestationVerifier} (deploy check, returns the
 *       measurement for the causal chain) against {@link dev.rtfs.microvm.vmm.attest.ExpectedHashes} (expected
 *       hash by file name; the guest module reads image.lock into one).</li>
 *   <li>Launch plumbing: {@link dev.rtfs.microvm.vmm.api.UnixSocketHttpClient} +
 *       {@link dev.rtfs.microvm.vmm.api.ApiSequence} (Firecracker / Cloud Hypervisor API sockets),
 *       {@link dev.rtfs.microvm.vmm.qemu.BootWatchdog} (marker + deadline + retry).</li>
 * </ul>
 */
package dev.rtfs.microvm.vmm;
