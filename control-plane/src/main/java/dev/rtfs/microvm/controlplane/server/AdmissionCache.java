package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.chain.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content-addressed store of plan artifacts (key: lowercase hex sha256 of the UTF-8 text). Anyone may store bytes
 * under their true hash, but only the host marks an artifact admitted: a guest's {@code cache_put} can never admit a
 * plan. Bounded in entries and bytes.
 */
public final class AdmissionCache {
    /** Why a put was refused. */
    public enum PutRefusal { HASH_MISMATCH, FULL }

    private final int maxEntries;
    private final long maxBytes;
    private final Map<String, String> artifacts = new ConcurrentHashMap<>();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private long bytes;

    public AdmissionCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** Lowercase hex sha256 of the UTF-8 text, with the chain's digest (one SHA-256 in control-plane). */
    public static String hash(String artifact) {
        return RecordFormat.sha256Hex(artifact.getBytes(StandardCharsets.UTF_8));
    }

    /** Stores an artifact; empty on success, otherwise why not. */
    public synchronized Optional<PutRefusal> put(String claimedHash, String artifact) {
        if (!hash(artifact).equals(claimedHash)) return Optional.of(PutRefusal.HASH_MISMATCH);
        if (artifacts.containsKey(claimedHash)) return Optional.empty();
        long size = artifact.getBytes(StandardCharsets.UTF_8).length;
        if (artifacts.size() >= maxEntries || bytes + size > maxBytes) return Optional.of(PutRefusal.FULL);
        artifacts.put(claimedHash, artifact);
        bytes += size;
        return Optional.empty();
    }

    /** Host side: stores and marks admitted; returns the hash. */
    public synchronized String admit(String artifact) {
        String h = hash(artifact);
        if (!artifacts.containsKey(h)) {
            artifacts.put(h, artifact);
            bytes += artifact.getBytes(StandardCharsets.UTF_8).length;
        }
        admitted.add(h);
        return h;
    }

    public Optional<String> get(String hash) {
        return Optional.ofNullable(artifacts.get(hash));
    }

    public boolean isAdmitted(String hash) {
        return admitted.contains(hash);
    }
}
