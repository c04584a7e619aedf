package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Values too large to sit in a record ({@link #THRESHOLD_BYTES} and more of canonical JSON, e.g. a user capability's
 * 1 MiB result) live beside the segments in {@code <chain>/values/<sha256>.json}. A host record (no origin) that
 * uses one holds a reference {@code {"sha256", "bytes"}} in the value's place and lists every reference in its
 * top-level {@code value_files} array, so the record's hash covers the file's hash and {@code chain verify} checks
 * each listed file is there with that size and hash. Only that list is checked: nothing a plan or guest writes
 * elsewhere in a record can make verify read files.
 */
public final class ValueFiles {
    /** A value whose canonical JSON has this many bytes or more goes to a value file. */
    public static final int THRESHOLD_BYTES = 64 * 1024;
    /** The largest value file: the control protocol's largest result. */
    public static final long MAX_BYTES = 1_048_576;
    /** The call member that holds a reference in place of {@code value}. */
    public static final String REF = "value_ref";
    /** The host record's top-level member listing the references it holds. */
    public static final String LISTED = "value_files";
    static final String DIRECTORY = "values";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ValueFiles() {}

    /**
     * Empty when the value is small enough for a record, else its reference {@code {"sha256", "bytes"}} after its
     * canonical JSON was written (fsynced, renamed into place) to the chain's value files: content-addressed, so
     * writing one twice is harmless.
     */
    public static Optional<ObjectNode> storeIfLarge(Path chainDir, JsonNode value) throws IOException {
        byte[] canonical = CanonicalJson.bytes(value);
        if (canonical.length < THRESHOLD_BYTES) return Optional.empty();
        if (canonical.length > MAX_BYTES) {
            throw new IOException("a value of " + canonical.length + " bytes exceeds the chain's " + MAX_BYTES);
        }
        String sha = RecordFormat.sha256Hex(canonical);
        Path dir = Files.createDirectories(chainDir.resolve(DIRECTORY));
        Path file = dir.resolve(sha + ".json");
        if (!Files.isRegularFile(file) || Files.size(file) != canonical.length) {
            DurableFile.write(file, canonical);
        }
        return Optional.of(JSON.objectNode().put("sha256", sha).put("bytes", canonical.length));
    }

    /** The value a reference stands for, read back (bounded) and checked against its size and hash. */
    public static JsonNode read(Path chainDir, JsonNode ref) throws IOException {
        String problem = problem(chainDir, ref).orElse(null);
        if (problem != null) throw new IOException(problem);
        return CanonicalJson.parse(Files.readAllBytes(file(chainDir, ref.get("sha256").stringValue())));
    }

    /** The first problem with the value files a host record lists, if any (records with an origin list none). */
    static Optional<String> problemOfListed(Path chainDir, ChainRecord record) throws IOException {
        if (record.origin() != null || record.data() == null || !record.data().has(LISTED)) return Optional.empty();
        JsonNode listed = record.data().get(LISTED);
        if (!listed.isArray()) return Optional.of(LISTED + " must be an array");
        for (JsonNode ref : listed.values()) {
            Optional<String> p = problem(chainDir, ref);
            if (p.isPresent()) return p;
        }
        return Optional.empty();
    }

    /** What is wrong with the value file a reference names, if anything. */
    static Optional<String> problem(Path chainDir, JsonNode r) throws IOException {
        if (r == null || !r.isObject() || !r.path("sha256").isString() || !r.path("bytes").canConvertToLong()
                || !SHA256_HEX.matcher(r.get("sha256").stringValue()).matches()) {
            return Optional.of("malformed value_ref (needs sha256 and bytes)");
        }
        String sha = r.get("sha256").stringValue();
        long bytes = r.get("bytes").longValue();
        Path file = file(chainDir, sha);
        if (!Files.isRegularFile(file)) return Optional.of("value file " + DIRECTORY + "/" + sha + ".json is missing");
        long size = Files.size(file);
        if (size != bytes || size > MAX_BYTES) {
            return Optional.of("value file " + DIRECTORY + "/" + sha + ".json has " + size + " bytes, the record says " + bytes);
        }
        String actual = RecordFormat.sha256Hex(Files.readAllBytes(file));
        if (!actual.equals(sha)) {
            return Optional.of("value file " + DIRECTORY + "/" + sha + ".json was altered (its sha256 is "
                    + RecordFormat.abbrev(actual) + ")");
        }
        return Optional.empty();
    }

    private static Path file(Path chainDir, String sha) {
        return chainDir.resolve(DIRECTORY).resolve(sha + ".json");
    }
}
