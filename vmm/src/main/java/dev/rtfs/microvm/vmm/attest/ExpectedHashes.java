package dev.rtfs.microvm.vmm.attest;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a deploy attests boot artifacts against: the expected {@code sha256:<hex>} of each artifact, keyed by file
 * name. The image build records them in its image.lock (the guest module reads and writes that file); attestation
 * only needs the hashes.
 *
 * @param byFileName artifact file name (no directory) → expected hash
 */
public record ExpectedHashes(Map<String, String> byFileName) {

    public ExpectedHashes {
        byFileName = Collections.unmodifiableMap(new TreeMap<>(byFileName));
    }

    /** The expected hash of the artifact with {@code file}'s file name. */
    public Optional<String> hashOf(Path file) {
        return Optional.ofNullable(byFileName.get(file.getFileName().toString()));
    }
}
