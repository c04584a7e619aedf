package dev.rtfs.microvm.agentconfig.model;

import java.util.Optional;

/** An enum whose values are written as RTFS keywords; {@link #keyword()} is the name without the colon. */
public interface KeywordEnum {
    String keyword();

    /** The constant written as {@code :keyword}, if any. */
    static <E extends Enum<E> & KeywordEnum> Optional<E> fromKeyword(Class<E> type, String keyword) {
        for (E e : type.getEnumConstants()) if (e.keyword().equals(keyword)) return Optional.of(e);
        return Optional.empty();
    }
}
