package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One virtio-block device of the {@code drives} list (schema: {@code #/definitions/Drive}).
 * Nullable components are absent optionals and are not written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Drive(
        @JsonProperty("drive_id") String driveId,
        @JsonProperty("path_on_host") String pathOnHost,
        @JsonProperty("is_root_device") boolean isRootDevice,
        @JsonProperty("partuuid") String partuuid,
        @JsonProperty("is_read_only") Boolean isReadOnly,
        @JsonProperty("cache_type") CacheType cacheType,
        @JsonProperty("io_engine") IoEngine ioEngine,
        @JsonProperty("rate_limiter") RateLimiter rateLimiter,
        @JsonProperty("socket") String socket) {

    public enum CacheType { Unsafe, Writeback }

    public enum IoEngine { Sync, Async }

    public Drive {
        Objects.requireNonNull(driveId, "drive_id");
    }

    /** A read-only virtio-block drive backed by a host file, the only kind we synthesize. */
    public static Drive readOnly(String driveId, String pathOnHost, boolean root) {
        return new Drive(driveId, pathOnHost, root, null, true, CacheType.Unsafe, IoEngine.Sync, null, null);
    }
}
