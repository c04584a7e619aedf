package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code MemoryConfig}: {@code size} is in bytes. */
public record MemoryConfig(@JsonProperty("size") long size) {
    public static MemoryConfig ofMib(int mib) {
        return new MemoryConfig(mib * 1024L * 1024L);
    }
}
