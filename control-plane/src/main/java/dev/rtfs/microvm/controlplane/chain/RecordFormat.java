package dev.rtfs.microvm.controlplane.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The on-disk form of a record: its canonical JSON (all ten keys, sorted) on one line. The hash covers the canonical
 * JSON of the nine other fields. Writing assembles the line from pieces encoded once per entry, so the single writer
 * thread only adds prev/seq/ts and hashes; reading re-derives everything and demands byte equality.
 */
public final class RecordFormat {
    public static final String GENESIS = "0".repeat(64);
    public static final Set<String> KEYS =
            Set.of("agent_id", "data", "hash", "kind", "origin", "plan_id", "prev", "seq", "step", "ts");
    /** A record line may hold a 64 KiB event plus its envelope; anything far larger is not a record. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PREV = ascii("\"prev\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] TS = ascii(",\"ts\":");
    private static final byte[] HASH = ascii("\"hash\":\"");
    private static final byte[] QUOTE_COMMA = ascii("\",");

    private RecordFormat() {}

    /**
     * An entry encoded once, off the writer thread. Everything the hash covers before {@code prev} (the sorted keys
     * agent_id..plan_id) is already fed into {@code prefixDigest}, so the single writer thread only hashes the
     * ~150-byte tail; the result is still sha256 over the whole canonical text.
     */
    public record Prepared(ChainEntry entry, byte[] front, byte[] middle, byte[] stepPart, MessageDigest prefixDigest) {
        int fixedLength() {
            return front.length + middle.length + stepPart.length;
        }
    }

    private static final ThreadLocal<MessageDigest> SHA256_PROTOTYPE = ThreadLocal.withInitial(RecordFormat::sha256);

    public static Prepared prepare(ChainEntry e) {
        return prepare(e, true);
    }

    /** {@code hashing=false} only for the benchmark baseline store. */
    public static Prepared prepare(ChainEntry e, boolean hashing) {
        byte[] front = concat(ascii("{\"agent_id\":"), CanonicalJson.string(e.agentId()), ascii(",\"data\":"),
                CanonicalJson.bytes(CanonicalJson.normalize(e.data())), ascii(","));
        byte[] origin = e.origin() == null ? ascii("null") : concat(ascii("{\"seq\":" + e.origin().seq() + ",\"stream\":"),
                CanonicalJson.string(e.origin().stream()), ascii("}"));
        byte[] middle = concat(ascii("\"kind\":"), CanonicalJson.string(e.kind()), ascii(",\"origin\":"), origin,
                ascii(",\"plan_id\":"), CanonicalJson.string(e.planId()), ascii(","));
        byte[] stepPart = concat(ascii(",\"step\":"), CanonicalJson.string(e.step()));
        MessageDigest digest = null;
        if (hashing) {
            try {
                digest = (MessageDigest) SHA256_PROTOTYPE.get().clone();
            } catch (CloneNotSupportedException ex) {
                digest = sha256();
            }
            digest.update(front);
            digest.update(middle);
        }
        return new Prepared(e, front, middle, stepPart, digest);
    }

    /**
     * Reusable assembler for the writer thread: builds the hashed bytes and the stored line for one record.
     * Not thread-safe.
     */
    public static final class Writer {
        private final MessageDigest sha256 = sha256();
        private final boolean hashing;
        private byte[] buf = new byte[4096];
        private int len;

        public Writer(boolean hashing) {
            this.hashing = hashing;
        }

        /** Encodes the line (newline included) into {@link #line()} and returns the record hash. */
        public String encode(Prepared p, long seq, String prev, long ts) {
            byte[] seqDigits = ascii(Long.toString(seq));
            byte[] tsDigits = ascii(Long.toString(ts));
            byte[] prevBytes = ascii(prev);
            // hashed form: front middle "prev":"..","seq":N stepPart ,"ts":T }
            len = 0;
            ensure(p.fixedLength() + 256 + seqDigits.length + tsDigits.length);
            put(p.front());
            int afterFront = len;
            put(p.middle());
            int tail = len;
            put(PREV);
            put(prevBytes);
            put(SEQ);
            put(seqDigits);
            put(p.stepPart());
            put(TS);
            put(tsDigits);
            put((byte) '}');
            String hash;
            if (hashing && p.prefixDigest() != null) {
                MessageDigest d = p.prefixDigest();
                d.update(buf, tail, len - tail);
                hash = HEX.formatHex(d.digest());
            } else if (hashing) {
                sha256.update(buf, 0, len);
                hash = HEX.formatHex(sha256.digest());
            } else {
                hash = GENESIS;
            }
            // stored form: insert "hash":"..", after the front part (keys stay sorted), then newline.
            byte[] hashField = concat(HASH, ascii(hash), QUOTE_COMMA);
            ensure(len + hashField.length + 1);
            System.arraycopy(buf, afterFront, buf, afterFront + hashField.length, len - afterFront);
            System.arraycopy(hashField, 0, buf, afterFront, hashField.length);
            len += hashField.length;
            buf[len++] = '\n';
            return hash;
        }

        public byte[] buffer() {
            return buf;
        }

        public int length() {
            return len;
        }

        public byte[] line() {
            return Arrays.copyOf(buf, len);
        }

        private void ensure(int capacity) {
            if (buf.length < capacity) buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
        }

        private void put(byte[] bytes) {
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
        }

        private void put(byte b) {
            buf[len++] = b;
        }
    }

    /**
     * Parses and checks one stored line (without its newline) on its own: shape, canonical encoding and hash.
     * Linking (seq order and prev) is the caller's job.
     */
    public static ChainRecord parse(byte[] line) throws RecordDefect {
        JsonNode node;
        try {
            node = CanonicalJson.parse(line);
        } catch (JacksonException e) {
            throw new RecordDefect("malformed record: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new RecordDefect("record is not a JSON object");
        for (String key : node.propertyNames()) {
            if (!KEYS.contains(key)) throw new RecordDefect("unexpected field '" + key + "'");
        }
        for (String key : KEYS) {
            if (!node.has(key)) throw new RecordDefect("missing field '" + key + "'");
        }
        long seq = integer(node, "seq");
        long ts = integer(node, "ts");
        String prev = hex(node, "prev");
        String hash = hex(node, "hash");
        String kind = text(node, "kind", false);
        String agentId = text(node, "agent_id", true);
        String planId = text(node, "plan_id", true);
        String step = text(node, "step", true);
        JsonNode data = node.get("data");
        Origin origin = origin(node.get("origin"));
        if (!Arrays.equals(CanonicalJson.bytes(node), line)) {
            throw new RecordDefect("record is not in canonical form");
        }
        ObjectNode hashed = ((ObjectNode) node).deepCopy();
        hashed.remove("hash");
        String actual = HEX.formatHex(sha256().digest(CanonicalJson.bytes(hashed)));
        if (!actual.equals(hash)) throw new RecordDefect("hash mismatch (stored " + abbrev(hash) + ", computed " + abbrev(actual) + ")");
        return new ChainRecord(seq, prev, ts, kind, agentId, planId, step, data, origin, hash);
    }

    /** The record as a JSON object (for {@code chain show --format json}). */
    public static ObjectNode toJson(ChainRecord r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("seq", r.seq()).put("prev", r.prev()).put("ts", r.ts()).put("kind", r.kind())
                .put("agent_id", r.agentId()).put("plan_id", r.planId()).put("step", r.step());
        n.set("data", r.data());
        if (r.origin() == null) n.putNull("origin");
        else n.putObject("origin").put("seq", r.origin().seq()).put("stream", r.origin().stream());
        n.put("hash", r.hash());
        return n;
    }

    static String abbrev(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }

    private static long integer(JsonNode node, String key) throws RecordDefect {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new RecordDefect("field '" + key + "' must be a non-negative integer");
        }
        return v.longValue();
    }

    private static String hex(JsonNode node, String key) throws RecordDefect {
        JsonNode v = node.get(key);
        if (!v.isString() || v.stringValue().length() != 64 || !v.stringValue().chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new RecordDefect("field '" + key + "' must be 64 lowercase hex digits");
        }
        return v.stringValue();
    }

    private static String text(JsonNode node, String key, boolean nullable) throws RecordDefect {
        JsonNode v = node.get(key);
        if (nullable && v.isNull()) return null;
        if (!v.isString()) throw new RecordDefect("field '" + key + "' must be a string" + (nullable ? " or null" : ""));
        return v.stringValue();
    }

    private static Origin origin(JsonNode v) throws RecordDefect {
        if (v.isNull()) return null;
        if (!v.isObject() || v.size() != 2 || !v.has("seq") || !v.has("stream") || !v.get("stream").isString()
                || !v.get("seq").isIntegralNumber() || !v.get("seq").canConvertToLong() || v.get("seq").longValue() < 1) {
            throw new RecordDefect("field 'origin' must be null or {seq >= 1, stream}");
        }
        return new Origin(v.get("stream").stringValue(), v.get("seq").longValue());
    }

    /** The chain's SHA-256 (its record format specifies the digest); control-plane's other hashes use it too. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** Lowercase hex of the SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(sha256().digest(data));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : List.of(parts)) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
