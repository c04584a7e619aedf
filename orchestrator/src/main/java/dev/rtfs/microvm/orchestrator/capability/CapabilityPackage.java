package dev.rtfs.microvm.orchestrator.capability;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One valid capability package: its directory {@code DIR/<id>/}, its manifest file and what the manifest says.
 * The entry file {@code dir.resolve(manifest.entry())} is a regular, executable file inside {@code dir}.
 */
public record CapabilityPackage(Path dir, Path manifestFile, CapabilityManifest manifest) {

    public CapabilityPackage {
        Objects.requireNonNull(dir);
        Objects.requireNonNull(manifestFile);
        Objects.requireNonNull(manifest);
    }

    public Path entryFile() {
        return dir.resolve(manifest.entry());
    }
}
