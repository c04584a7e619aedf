package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code logger} (schema: {@code #/definitions/Logger}); null components are absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirecrackerLogger(
        @JsonProperty("log_path") String logPath,
        @JsonProperty("level") String level,
        @JsonProperty("show_level") Boolean showLevel,
        @JsonProperty("show_log_origin") Boolean showLogOrigin,
        @JsonProperty("module") String module) {

    public static FirecrackerLogger of(String logPath, String level) {
        return new FirecrackerLogger(logPath, level, null, null, null);
    }
}
