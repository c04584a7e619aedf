package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code PayloadConfig}. Cloud Hypervisor adds nothing to {@code cmdline}: it carries {@code root=}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PayloadConfig(
        @JsonProperty("kernel") String kernel,
        @JsonProperty("cmdline") String cmdline,
        @JsonProperty("initramfs") String initramfs) {}
