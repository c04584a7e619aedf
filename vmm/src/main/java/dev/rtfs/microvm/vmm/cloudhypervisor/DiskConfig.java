package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code DiskConfig}, the subset we write: a read-only raw image with a stable id. */
public record DiskConfig(
        @JsonProperty("path") String path, @JsonProperty("readonly") boolean readonly, @JsonProperty("id") String id) {}
