package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a valid agent config asks of the hypervisor, independent of which hypervisor runs it. Built from a
 * validated {@code AgentConfig} by {@link BlueprintReader}; every target synthesizer starts from here, so the
 * per-target code never sees RTFS.
 *
 * @param agentId           the config's {@code :agent-id}
 * @param kernelImage       {@code :microvm.kernel.image}, as written (resolved against the options' base dir later)
 * @param kernelCmdline     {@code :microvm.kernel.cmdline} or "" when absent
 * @param rootfsImage       {@code :microvm.rootfs.image}
 * @param capabilitiesMount true when {@code :orchestrator.isolation.fs.mounts.capabilities} is present (always RO)
 * @param vcpus             {@code :microvm.resources.vcpus}
 * @param memMb             {@code :microvm.resources.mem_mb}
 * @param nic               present when {@code :microvm.devices.nic.enabled} is true
 * @param vsockCid          present when {@code :microvm.devices.vsock.enabled} is true
 * @param attestation       {@code :microvm.attestation}
 */
public record VmBlueprint(
        String agentId,
        String kernelImage,
        String kernelCmdline,
        Span cmdlineSpan,
        String rootfsImage,
        boolean capabilitiesMount,
        int vcpus,
        int memMb,
        Optional<Nic> nic,
        OptionalLong vsockCid,
        Attestation attestation) {

    public VmBlueprint {
        Objects.requireNonNull(agentId);
        Objects.requireNonNull(kernelImage);
        Objects.requireNonNull(kernelCmdline);
        Objects.requireNonNull(cmdlineSpan);
        Objects.requireNonNull(rootfsImage);
        Objects.requireNonNull(nic);
        Objects.requireNonNull(vsockCid);
        Objects.requireNonNull(attestation);
    }

    /** The same VM with another kernel command line. */
    public VmBlueprint withKernelCmdline(String cmdline) {
        return new VmBlueprint(agentId, kernelImage, cmdline, cmdlineSpan, rootfsImage, capabilitiesMount, vcpus, memMb,
                nic, vsockCid, attestation);
    }

    /** @param proxyNs the network namespace of the egress proxy, where the VM's tap must live ("" when absent) */
    public record Nic(String proxyNs) {
        public Nic {
            Objects.requireNonNull(proxyNs);
        }
    }

    /**
     * @param expectRootfsHash {@code :expect_rootfs_hash} when present and not a placeholder
     * @param span             where the attestation block (or hash) was written, for deploy diagnostics
     */
    public record Attestation(boolean enabled, Optional<String> expectRootfsHash, Span span) {
        public static final Attestation NONE = new Attestation(false, Optional.empty(), Span.NONE);

        public Attestation {
            Objects.requireNonNull(expectRootfsHash);
            Objects.requireNonNull(span);
        }
    }
}
