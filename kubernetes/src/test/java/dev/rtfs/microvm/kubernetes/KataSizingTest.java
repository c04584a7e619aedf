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
        assertThat(KataSizing.of(2, 300).exact()).isFalse();
        assertThat(KataSizing.of(2, 320).exact()).isTrue();
    }

    @Test
    void theDropInCarriesTheBaseTheKernelParamsAndEnablesExactlyTheAllowedAnnotations() {
        var config = K8sFixtures.validText(K8sFixtures.networked("a", 2, 512, "\"example.com\"")).config();
        JsonNode fc = TomlMapper.builder().build().readTree(KataDropIn.toml(KataRuntime.KATA_FC, config));
        assertThat(fc.at("/hypervisor/firecracker/default_vcpus").asLong()).isEqualTo(KataSizing.BASE_VCPUS);
        assertThat(fc.at("/hypervisor/firecracker/default_memory").asLong()).isEqualTo(KataSizing.BASE_MEMORY_MB);
        assertThat(fc.at("/hypervisor/firecracker/kernel_params").asString()).isEqualTo("console=ttyS0 quiet");
        assertThat(fc.at("/hypervisor/firecracker/enable_annotations").valueStream().map(JsonNode::asString))
                .containsExactlyElementsOf(KataAnnotations.ENABLED);
        assertThat(fc.at("/runtime/static_sandbox_resource_mgmt").asBoolean()).isTrue();
        JsonNode qemu = TomlMapper.builder().build().readTree(KataDropIn.toml(KataRuntime.KATA_QEMU, config));
        assertThat(qemu.at("/hypervisor/qemu/default_vcpus").asLong()).isEqualTo(1);
        assertThat(qemu.has("runtime")).isFalse();
        assertThat(KataAnnotations.of(config)).containsAllEntriesOf(Map.of(
                KataAnnotations.PREFIX + "default_vcpus", "1", KataAnnotations.PREFIX + "default_memory", "256",
                KataAnnotations.PREFIX + "kernel_params", "console=ttyS0 quiet"));
    }

    @Test
    void agentIdsBecomeDns1123LabelsOfAtMost63Characters() {
        assertThat(AgentName.of("agent.microvm.example").value()).isEqualTo("agent-microvm-example");
        assertThat(AgentName.of("a_b.c").value()).isEqualTo("a-b-c");
        String longId = "a".repeat(62) + ".b";
        assertThat(AgentName.of(longId).value()).hasSize(62).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
