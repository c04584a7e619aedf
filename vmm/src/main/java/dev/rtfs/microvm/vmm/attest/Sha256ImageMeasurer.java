package dev.rtfs.microvm.vmm.attest;

import java.io.IOException;
import java.nio.file.Path;

/** The real measurer: {@link Sha256#ofFile}, streamed, so constant memory for multi-GiB images. */
public final class Sha256ImageMeasurer implements ImageMeasurer {

    @Override
    public String measure(Path image) throws IOException {
        return Sha256.ofFile(image);
    }
}
