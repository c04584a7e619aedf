package dev.rtfs.microvm.controlplane.chain;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The one canonical JSON form the chain hashes: object keys sorted (recursively), no insignificant whitespace,
 * integers exact, floats as the shortest text that reads back to the same double (so a round trip never changes
 * the text). Re-serializing a parsed
 * canonical line gives the same bytes, which is what lets the verifier demand byte equality.
 */
public final class CanonicalJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CanonicalJson() {}

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** The canonical encoding of a string value (quoted and escaped). */
    public static byte[] string(String value) {
        return value == null ? "null".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                : MAPPER.writeValueAsBytes(JsonNodeFactory.instance.stringNode(value));
    }

    /**
     * The value in a form whose canonical text reads back to itself: doubles, integers, strings, booleans, nulls,
     * arrays and objects pass unchanged; other number nodes are re-read as JSON; NaN, infinities and non-JSON nodes
     * are refused.
     */
    public static JsonNode normalize(JsonNode node) {
        return needsReparse(node) ? parse(bytes(node)) : node;
    }

    private static boolean needsReparse(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT, ARRAY -> {
                boolean any = false;
                for (JsonNode child : node.values()) any |= needsReparse(child);
                yield any;
            }
            case NUMBER -> {
                if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
                    throw new IllegalArgumentException("chain data cannot hold NaN or infinity");
                }
                yield !(node.isInt() || node.isLong() || node.isBigInteger() || node.isDouble());
            }
            case STRING, BOOLEAN, NULL -> false;
            default -> throw new IllegalArgumentException("chain data cannot hold a " + node.getNodeType() + " node");
        };
    }

    /** Strict parse (duplicate keys and trailing tokens rejected); throws Jackson's unchecked exception. */
    public static JsonNode parse(byte[] json) {
        return MAPPER.readTree(json);
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
