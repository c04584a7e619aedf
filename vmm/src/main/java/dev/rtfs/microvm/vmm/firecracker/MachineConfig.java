package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code machine-config} (schema: {@code #/definitions/MachineConfiguration}); null components are absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineConfig(
        @JsonProperty("vcpu_count") int vcpuCount,
        @JsonProperty("mem_size_mib") int memSizeMib,
        @JsonProperty("smt") Boolean smt,
        @JsonProperty("track_dirty_pages") Boolean trackDirtyPages,
        @JsonProperty("huge_pages") String hugePages,
        @JsonProperty("cpu_template") String cpuTemplate) {

    /** SMT off (the profile's choice: no sibling-thread side channels), no dirty-page tracking. */
    public static MachineConfig of(int vcpus, int memMb) {
        return new MachineConfig(vcpus, memMb, false, false, null, null);
    }
}
