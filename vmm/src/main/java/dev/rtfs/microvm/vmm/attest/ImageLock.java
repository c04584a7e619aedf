package dev.rtfs.microvm.vmm.attest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rtfs.microvm.vmm.VmmJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * {@code image.lock}, written by {@code image build} next to the images it made: the sha256 of every artifact,
 * keyed by file name. {@code {"version":1,"artifacts":{"rootfs.img":"sha256:<hex>", ...}}}
 */
public record ImageLock(@JsonProperty("version") int version, @JsonProperty("artifacts") Map<String, String> artifacts) {

    public static final String FILE_NAME = "image.lock";
    public static final int VERSION = 1;

    public ImageLock {
        artifacts = Collections.unmodifiableMap(new TreeMap<>(artifacts));
    }

    /** The lock next to {@code image}, if there is one. Malformed locks are an error, never silently ignored. */
    public static Optional<ImageLock> besides(Path image) throws IOException {
        Path parent = image.toAbsolutePath().getParent();
        Path lock = parent == null ? Path.of(FILE_NAME) : parent.resolve(FILE_NAME);
        if (!Files.exists(lock)) return Optional.empty();
        try {
            ImageLock read = VmmJson.read(Files.readString(lock), ImageLock.class);
            if (read.version() != VERSION) throw new IOException(lock + ": unsupported version " + read.version());
            return Optional.of(read);
        } catch (JacksonException e) {
            throw new IOException(lock + " is not a valid image lock: " + e.getOriginalMessage(), e);
        }
    }

    /** The recorded hash of the artifact with {@code image}'s file name. */
    public Optional<String> hashOf(Path image) {
        return Optional.ofNullable(artifacts.get(image.getFileName().toString()));
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE_NAME), VmmJson.pretty(this));
    }
}
