package dev.rtfs.microvm.orchestrator.effect;

import java.util.Locale;
import java.util.Optional;

/** {@code :fs :modes}: {@code :read :write :append}. */
public enum FsMode {
    READ, WRITE, APPEND;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FsMode> fromKeyword(String name) {
        for (FsMode m : values()) if (m.keyword().equals(name)) return Optional.of(m);
        return Optional.empty();
    }
}
