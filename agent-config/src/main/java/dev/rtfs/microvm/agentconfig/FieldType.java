package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.model.KeywordEnum;
import java.util.List;

/** The type of one schema field ({@link AgentConfigSchema}). */
sealed interface FieldType {
    /** How the type is named in CONFIG_TYPE messages. */
    String describe();

    enum Scalar implements FieldType {
        STRING("a string"), BOOL("a boolean (true/false)"), INT("an integer"), NUMBER("a number"),
        KEYWORD("a keyword"), KEYWORD_OR_STRING("a keyword or string");

        private final String description;

        Scalar(String description) { this.description = description; }

        @Override public String describe() { return description; }
    }

    /** A keyword from a closed set. */
    record Enum(List<String> keywords) implements FieldType {
        static <E extends java.lang.Enum<E> & KeywordEnum> Enum of(Class<E> type) {
            return new Enum(java.util.Arrays.stream(type.getEnumConstants()).map(KeywordEnum::keyword).toList());
        }

        @Override public String describe() {
            return "one of " + String.join(", ", keywords.stream().map(k -> ":" + k).toList());
        }
    }

    /** A vector (or list) whose items all have the element type. */
    record ListOf(Scalar element) implements FieldType {
        @Override public String describe() {
            return "a vector of " + element.describe().replaceFirst("^an? ", "").replace(" or ", "s or ") + "s";
        }
    }

    /** A nested map with a fixed set of keys. */
    record Struct(MapSpec spec) implements FieldType {
        @Override public String describe() { return "a map"; }
    }

    /** A map from user-chosen keyword names to maps of one shape (mounts, governance policies). */
    record Named(MapSpec spec) implements FieldType {
        @Override public String describe() { return "a map of :name -> map"; }
    }

    /** A map from domain-name strings (allowlist entries) to values of one type: client certificates, credentials. */
    record ByDomain(FieldType value) implements FieldType {
        @Override public String describe() { return "a map of \"domain\" -> " + value.describe(); }
    }

    /** A vector whose items are all maps of one shape. */
    record ListOfMaps(MapSpec spec) implements FieldType {
        @Override public String describe() { return "a vector of maps"; }
    }
}
