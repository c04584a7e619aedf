package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Hybrid vsock (schema: {@code #/definitions/Vsock}). Host-initiated connections go to {@code uds_path}
 * with {@code CONNECT <port>\n}; guest-initiated ones arrive on {@code uds_path + "_" + port}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirecrackerVsock(
        @JsonProperty("guest_cid") long guestCid,
        @JsonProperty("uds_path") String udsPath,
        @JsonProperty("vsock_id") String vsockId) {

    public FirecrackerVsock {
        Objects.requireNonNull(udsPath, "uds_path");
    }

    public static FirecrackerVsock of(long cid, String udsPath) {
        return new FirecrackerVsock(cid, udsPath, null);
    }
}
