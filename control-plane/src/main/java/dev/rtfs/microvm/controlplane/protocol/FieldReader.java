package dev.rtfs.microvm.controlplane.protocol;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads the fields of one frame by schema and remembers which it used, so extra fields can be rejected. */
final class FieldReader {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Identifiers (agent, boot, call, step, kind, capability) are short printable names, not payloads. */
    private static final int MAX_NAME_CHARS = 256;

    private final String type;
    private final JsonNode node;
    private final Set<String> used = new HashSet<>(Set.of("type", "v"));

    FieldReader(String type, JsonNode node) {
        this.type = type;
        this.node = node;
    }

    private JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new FrameRejected(ProtocolError.MISSING_FIELD, type + ": missing field '" + name + "'");
        }
        used.add(name);
        return value;
    }

    private FrameRejected wrongType(String name, String expected, JsonNode got) {
        return new FrameRejected(ProtocolError.WRONG_TYPE,
                type + ": field '" + name + "' must be " + expected + ", got " + got.getNodeType().name().toLowerCase());
    }

    String string(String name) {
        JsonNode value = required(name);
        if (!value.isString()) throw wrongType(name, "a string", value);
        return value.stringValue();
    }

    /** A non-empty, bounded identifier without control characters. */
    String name(String name) {
        String value = string(name);
        if (value.isEmpty() || value.length() > MAX_NAME_CHARS) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE,
                    type + ": field '" + name + "' must have 1.." + MAX_NAME_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new FrameRejected(ProtocolError.INVALID_VALUE,
                        type + ": field '" + name + "' contains a control character at index " + i);
            }
        }
        return value;
    }

    String sha256(String name) {
        String value = string(name);
        if (!SHA256_HEX.matcher(value).matches()) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE,
                    type + ": field '" + name + "' must be 64 lowercase hex digits (sha256)");
        }
        return value;
    }

    long longAtLeast(String name, long min) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) throw wrongType(name, "an integer", value);
        long result = value.longValue();
        if (result < min) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, type + ": field '" + name + "' must be >= " + min);
        }
        return result;
    }

    boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) throw wrongType(name, "a boolean", value);
        return value.booleanValue();
    }

    JsonNode object(String name) {
        JsonNode value = required(name);
        if (!value.isObject()) throw wrongType(name, "an object", value);
        checkFinite(name, value);
        return value;
    }

    /** Any JSON value whose numbers are all finite (a literal like 1e999 overflows a double). */
    JsonNode any(String name) {
        JsonNode value = required(name);
        checkFinite(name, value);
        return value;
    }

    private void checkFinite(String name, JsonNode value) {
        if (value.isContainer()) {
            for (JsonNode child : value.values()) checkFinite(name, child);
        } else if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, type + ": field '" + name + "' holds a number out of range");
        }
    }

    boolean has(String name) {
        return node.has(name);
    }

    /** Rejects every field the schema of this type did not read. */
    void done() {
        for (String name : node.propertyNames()) {
            if (!used.contains(name)) {
                throw new FrameRejected(ProtocolError.UNEXPECTED_FIELD, type + ": unexpected field '" + name + "'");
            }
        }
    }
}
