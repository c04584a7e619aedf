package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/** The Kata sizing rule (VM = base + ceil(Σ CPU limits) vCPUs, base + Σ memory limits MiB) and the drop-in. */
class KataSizingTest {

    @Test
    void theVmEqualsTheConfigWhenItIsAboveTheBase() {
        KataSizing s = KataSizing.of(4, 2048);
        assertThat(s.cpuLimit()).isEqualTo(3);
        assertThat(s.memoryLimitMi()).isEqualTo(2048 - 256);
        assertThat(s.vmVcpus()).isEqualTo(4);
        assertThat(s.vmMemoryMb()).isEqualTo(2048);
        assertThat(s.exact()).isTrue();
        assertThat(s.cpuQuantity()).isEqualTo("3");
        assertThat(s.memoryQuantity()).isEqualTo("1792Mi");
    }

    @Test
    void aConfigAtTheBaseGetsALargerVmAndIsNotExact() {
        KataSizing s = KataSizing.of(1, 256);
        assertThat(s.cpuLimit()).isPositive();
        assertThat(s.memoryLimitMi()).isPositive();
        assertThat(s.vmVcpus()).isEqualTo(2);
        assertThat(s.vmMemoryMb()).isEqualTo(256 + KataSizing.MIN_MEMORY_LIMIT_MI);
        assertThat(s.exact()).isFalse();
        assertThat(KataSizing.of(2, 320).exact()).isFalse();
        assertThat(KataSizing.of(2, 384).exact()).isTrue();
    }

    @Test
    void theSizingBaseIsNeverBelowKatasLeastDefaultMemory() {
        // Kata refuses a default_memory annotation below 256 MiB (MinHypervisorMemory): every pod would be refused.
        assertThat(KataSizing.BASE_MEMORY_MB).isGreaterThanOrEqualTo(256);
        assertThat(KataSizing.of(1, 128).vmMemoryMb()).isGreaterThanOrEqualTo(256);
    }

    @Test
    void theDropInCarriesTheBaseAndEnablesExactlyTheAllowedAnnotationsButNoKernelParams() {
        var config = K8sFixtures.validText(K8sFixtures.networked("a", 2, 512, "\"example.com\"")).config();
        JsonNode fc = TomlMapper.builder().build().readTree(KataDropIn.toml(KataRuntime.KATA_FC));
        assertThat(fc.at("/hypervisor/firecracker/default_vcpus").asLong()).isEqualTo(KataSizing.BASE_VCPUS);
        assertThat(fc.at("/hypervisor/firecracker/default_memory").asLong()).isEqualTo(KataSizing.BASE_MEMORY_MB);
        // a drop-in's kernel_params would replace the node's for every pod; the annotation appends per pod
        assertThat(fc.at("/hypervisor/firecracker").has("kernel_params")).isFalse();
        assertThat(fc.at("/hypervisor/firecracker/enable_annotations").valueStream().map(JsonNode::asString))
                .containsExactlyElementsOf(KataAnnotations.ENABLED);
        assertThat(fc.at("/runtime/static_sandbox_resource_mgmt").asBoolean()).isTrue();
        JsonNode qemu = TomlMapper.builder().build().readTree(KataDropIn.toml(KataRuntime.KATA_QEMU));
        assertThat(qemu.at("/hypervisor/qemu/default_vcpus").asLong()).isEqualTo(1);
        assertThat(qemu.at("/hypervisor/qemu").has("kernel_params")).isFalse();
        assertThat(qemu.has("runtime")).isFalse();
        assertThat(KataAnnotations.of(config)).containsAllEntriesOf(Map.of(
                KataAnnotations.PREFIX + "default_vcpus", "1", KataAnnotations.PREFIX + "default_memory", "256",
                KataAnnotations.PREFIX + "kernel_params", "console=ttyS0 quiet"));
    }

    @Test
    void theDropInGoesBesideKataDeploysPerShimConfigurationNamedByTheShimNotTheHandler() {
        assertThat(KataRuntime.KATA_FC.dropInDirectory())
                .isEqualTo("/opt/kata/share/defaults/kata-containers/runtimes/fc/config.d");
        assertThat(KataRuntime.KATA_QEMU.dropInDirectory())
                .isEqualTo("/opt/kata/share/defaults/kata-containers/runtimes/qemu/config.d");
        assertThat(KataRuntimeClass.dropIn(KataRuntime.KATA_FC, "rtfs-egress").getMetadata().getAnnotations())
                .containsEntry(KataRuntimeClass.INSTALL_PATH,
                        "/opt/kata/share/defaults/kata-containers/runtimes/fc/config.d/50-rtfs.toml");
    }

    @Test
    void theRuntimeClassOverheadIsKataDeploysForEachRuntime() {
        var fc = KataRuntimeClass.of(KataRuntime.KATA_FC).getOverhead().getPodFixed();
        assertThat(fc.get("cpu").toString()).isEqualTo("250m");
        assertThat(fc.get("memory").toString()).isEqualTo("130Mi");
        var qemu = KataRuntimeClass.of(KataRuntime.KATA_QEMU).getOverhead().getPodFixed();
        assertThat(qemu.get("cpu").toString()).isEqualTo("250m");
        assertThat(qemu.get("memory").toString()).isEqualTo("320Mi");
    }

    @Test
    void agentIdsBecomeDns1123LabelsOfAtMost63Characters() {
        assertThat(AgentName.of("agent.microvm.example").value()).isEqualTo("agent-microvm-example");
        assertThat(AgentName.of("a_b.c").value()).isEqualTo("a-b-c");
        String longId = "a".repeat(62) + ".b";
        assertThat(AgentName.of(longId).value()).hasSize(62).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
