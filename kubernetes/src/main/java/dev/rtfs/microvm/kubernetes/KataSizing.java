package dev.rtfs.microvm.kubernetes;

/**
 * How a Kata VM gets the config's {@code :vcpus}/{@code :mem_mb}. Kata sizes the VM as {@code default_vcpus +
 * ceil(Σ CPU limits)} vCPUs and {@code default_memory + Σ memory limits} MiB; Firecracker cannot hotplug, so that
 * happens once at boot (QEMU hotplugs the same amounts). The base is fixed ({@link #BASE_VCPUS},
 * {@link #BASE_MEMORY_MB}: the drop-in's defaults and the pod's own annotations say the same), the container's limits
 * carry the rest, and requests equal limits (Guaranteed QoS: the scheduler reserves what the VM takes). A container
 * needs a positive limit, so a config at or below the base (1 vCPU, 256 MiB) gets a VM one step larger:
 * {@link #exact()} is false and a {@code KUBERNETES_VM_SIZING_INEXACT} warning says by how much.
 *
 * @param cpuLimit      the container's CPU limit = request, whole cores
 * @param memoryLimitMi the container's memory limit = request, MiB
 */
public record KataSizing(long vcpus, long memMb, long cpuLimit, long memoryLimitMi) {

    public static final long BASE_VCPUS = 1;
    /**
     * Kata's least {@code default_memory}: the Go runtime refuses a {@code default_memory} annotation below its
     * {@code MinHypervisorMemory} (256 MiB) and replaces a smaller configured value with its default.
     */
    public static final long KATA_MIN_MEMORY_MB = 256;
    public static final long BASE_MEMORY_MB = KATA_MIN_MEMORY_MB;
    /**
     * The least memory limit of the agent's container. Inside the VM the container's cgroup holds the agent and its
     * memory-backed {@code /tmp} (64Mi under {@code :fs :ephemeral}), so 128 leaves the agent at least 64 MiB.
     */
    public static final long MIN_MEMORY_LIMIT_MI = 128;

    public static KataSizing of(long vcpus, long memMb) {
        return new KataSizing(vcpus, memMb, Math.max(vcpus - BASE_VCPUS, 1),
                Math.max(memMb - BASE_MEMORY_MB, MIN_MEMORY_LIMIT_MI));
    }

    public long vmVcpus() {
        return BASE_VCPUS + cpuLimit;
    }

    public long vmMemoryMb() {
        return BASE_MEMORY_MB + memoryLimitMi;
    }

    public boolean exact() {
        return vmVcpus() == vcpus && vmMemoryMb() == memMb;
    }

    public String cpuQuantity() {
        return Long.toString(cpuLimit);
    }

    public String memoryQuantity() {
        return memoryLimitMi + "Mi";
    }
}
