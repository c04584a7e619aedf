package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** One entry of {@code network-interfaces} (schema: {@code #/definitions/NetworkInterface}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkInterface(
        @JsonProperty("iface_id") String ifaceId,
        @JsonProperty("host_dev_name") String hostDevName,
        @JsonProperty("guest_mac") String guestMac,
        @JsonProperty("mtu") Integer mtu,
        @JsonProperty("rx_rate_limiter") RateLimiter rxRateLimiter,
        @JsonProperty("tx_rate_limiter") RateLimiter txRateLimiter) {

    public NetworkInterface {
        Objects.requireNonNull(ifaceId, "iface_id");
        Objects.requireNonNull(hostDevName, "host_dev_name");
    }

    public static NetworkInterface of(String ifaceId, String hostDevName, String guestMac) {
        return new NetworkInterface(ifaceId, hostDevName, guestMac, null, null, null);
    }
}
