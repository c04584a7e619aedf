package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code NetConfig}: an existing tap (created in the proxy namespace) and the guest MAC. */
record NetConfig(@JsonProperty("tap") String tap, @JsonProperty("mac") String mac, @JsonProperty("id") String id) {}
