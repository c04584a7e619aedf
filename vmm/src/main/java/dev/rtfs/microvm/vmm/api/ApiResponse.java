package dev.rtfs.microvm.vmm.api;

import java.util.Objects;

/** A hypervisor API answer: status and body text ("" for 204). */
public record ApiResponse(int status, String body) {
    public ApiResponse {
        Objects.requireNonNull(body);
    }

    public boolean success() {
        return status >= 200 && status < 300;
    }
}
