package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code #/definitions/RateLimiter}: independent bytes/s and ops/s buckets; null = unlimited. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RateLimiter(@JsonProperty("bandwidth") TokenBucket bandwidth, @JsonProperty("ops") TokenBucket ops) {

    /** Schema {@code #/definitions/TokenBucket}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenBucket(
            @JsonProperty("size") long size,
            @JsonProperty("one_time_burst") Long oneTimeBurst,
            @JsonProperty("refill_time") long refillTime) {}
}
