package dev.rtfs.microvm.orchestrator.effect;

import java.util.Optional;

/** The closed effect vocabulary of plans; the declaration order is the order of a normalized row. */
public enum EffectKind {
    NETWORK("network"),
    FS("fs"),
    PROCESS("process"),
    IPC("ipc"),
    CLOCK("clock"),
    RANDOM("random"),
    LLM("llm"),
    GPU("gpu"),
    DEVICE("device"),
    UI("ui");

    private final String keyword;

    EffectKind(String keyword) {
        this.keyword = keyword;
    }

    /** The keyword name as written in RTFS, without the colon ("network"). */
    public String keyword() {
        return keyword;
    }

    public static Optional<EffectKind> fromKeyword(String name) {
        for (EffectKind k : values()) {
            if (k.keyword.equals(name)) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** True for the kinds that take no parameters. */
    public boolean isBare() {
        return this != NETWORK && this != FS && this != LLM;
    }
}
