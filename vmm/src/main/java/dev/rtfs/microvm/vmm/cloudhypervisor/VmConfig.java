package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** The {@code vm.create} body (schema: {@code #/components/schemas/VmConfig}); absent optionals are not written. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmConfig(
        @JsonProperty("cpus") CpusConfig cpus,
        @JsonProperty("memory") MemoryConfig memory,
        @JsonProperty("payload") PayloadConfig payload,
        @JsonProperty("disks") List<DiskConfig> disks,
        @JsonProperty("net") List<NetConfig> net,
        @JsonProperty("serial") ConsoleConfig serial,
        @JsonProperty("console") ConsoleConfig console,
        @JsonProperty("vsock") VsockConfig vsock) {

    public VmConfig {
        Objects.requireNonNull(payload, "payload");
        disks = disks == null ? null : List.copyOf(disks);
        net = net == null || net.isEmpty() ? null : List.copyOf(net);
    }
}
