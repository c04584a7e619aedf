package dev.rtfs.microvm.vmm.cloudhypervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** Schemas {@code SerialConfig} / {@code ConsoleConfig} (same shape for what we write). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ConsoleConfig(@JsonProperty("mode") Mode mode, @JsonProperty("file") String file) {

    /** Schema {@code ConsoleMode}. */
    public enum Mode { Off, Pty, Tty, File, Socket, Null }

    public ConsoleConfig {
        Objects.requireNonNull(mode);
    }

    public static ConsoleConfig of(Mode mode) {
        return new ConsoleConfig(mode, null);
    }
}
