package dev.rtfs.microvm.vmm.attest;

import java.io.IOException;
import java.nio.file.Path;

/** Measures an image file: {@code sha256:<64 lowercase hex>}. A seam so deploy checks are tested without big files. */
@FunctionalInterface
public interface ImageMeasurer {
    String measure(Path image) throws IOException;
}
