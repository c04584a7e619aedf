package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed chain head kept next to the segments in {@code <chain>/HEAD}: one JSON object
 * {@code {"alg":"Ed25519","hash","key_id","seq","signature"}}, the signature (base64) over
 * {@code "rtfs-chain-head\n{seq}\n{hash}"}. The segments alone cannot show that records were cut off the end or
 * re-hashed; a head signed by a key kept outside the chain directory can. Seq 0 with the genesis hash is the head
 * of a chain that has no records yet.
 */
public record SignedHead(long seq, String hash, String keyId, String signature) {
    public static final String FILE_NAME = "HEAD";
    private static final int MAX_BYTES = 4096;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static SignedHead sign(AnchorSigner key, ChainHead head) {
        return new SignedHead(head.seq(), head.hash(), AnchorSigner.keyId(key.publicKey()),
                key.signHead(head.seq(), head.hash()));
    }

    public static Path path(Path chainDir) {
        return chainDir.resolve(FILE_NAME);
    }

    /** True when {@code key} is the signing key named here and the signature verifies. */
    public boolean verifiedBy(PublicKey key) {
        return AnchorSigner.keyId(key).equals(keyId) && AnchorSigner.verifyHead(key, seq, hash, signature);
    }

    /** The {@code HEAD} of {@code chainDir}; empty when there is none; a defect when it is not a head. */
    public static Optional<SignedHead> read(Path chainDir) throws IOException, RecordDefect {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path(chainDir))) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length > MAX_BYTES) throw new RecordDefect("HEAD is larger than " + MAX_BYTES + " bytes");
        JsonNode node;
        try {
            node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new RecordDefect("HEAD is not JSON");
        }
        JsonNode seq = node == null ? null : node.get("seq");
        JsonNode hash = node == null ? null : node.get("hash");
        JsonNode keyId = node == null ? null : node.get("key_id");
        JsonNode sig = node == null ? null : node.get("signature");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0
                || hash == null || !hash.isString() || !hash.stringValue().matches("[0-9a-f]{64}")
                || keyId == null || !keyId.isString() || sig == null || !sig.isString()) {
            throw new RecordDefect("HEAD lacks seq, hash (64 hex digits), key_id or signature");
        }
        return Optional.of(new SignedHead(seq.longValue(), hash.stringValue(), keyId.stringValue(), sig.stringValue()));
    }

    /** Replaces {@code HEAD} atomically and durably: write a temp file, force it, rename over, force the directory. */
    public void write(Path chainDir) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("alg", "Ed25519").put("hash", hash).put("key_id", keyId)
                .put("seq", seq).put("signature", signature);
        byte[] bytes = (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        DurableFile.write(path(chainDir), bytes);
    }

    String describe() {
        return "seq " + seq + " (hash " + RecordFormat.abbrev(hash) + ")";
    }
}
