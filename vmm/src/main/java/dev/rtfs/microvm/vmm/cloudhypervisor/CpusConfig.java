package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code CpusConfig}: both counts are required when the object is present. */
record CpusConfig(@JsonProperty("boot_vcpus") int bootVcpus, @JsonProperty("max_vcpus") int maxVcpus) {}
