package dev.rtfs.microvm.guest.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One user capability package as image.lock records it: the id plans call, the entry the agent runs (relative to
 * {@code /agent/capabilities/<id>/}), the sha256 of the manifest and of the entry, and the manifest's effects as
 * one RTFS vector (what admission against the image reads back).
 */
public record LockedCapability(@JsonProperty("id") String id, @JsonProperty("entry") String entry,
        @JsonProperty("manifestSha256") String manifestSha256, @JsonProperty("entrySha256") String entrySha256,
        @JsonProperty("effects") String effects) {

    /** What the agent's index may hold: names it can match and paths it can run without quoting surprises. */
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

    public LockedCapability {
        Objects.requireNonNull(id);
        Objects.requireNonNull(entry);
        Objects.requireNonNull(manifestSha256);
        Objects.requireNonNull(entrySha256);
        Objects.requireNonNull(effects);
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("capability id " + id);
        if (!ENTRY.matcher(entry).matches()) throw new IllegalArgumentException("capability entry " + entry);
    }
}
