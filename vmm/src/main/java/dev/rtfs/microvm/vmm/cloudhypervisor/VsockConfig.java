package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code VsockConfig}: hybrid vsock with the same CONNECT protocol as Firecracker. */
record VsockConfig(@JsonProperty("cid") long cid, @JsonProperty("socket") String socket) {}
