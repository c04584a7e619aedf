package dev.rtfs.microvm.vmm;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upstream Firecracker and Cloud Hypervisor schemas, vendored in vmm/src/test/resources/upstream (see its
 * README for sources, versions and licence). They are part of the checkout, so a missing one is a failure, never a
 * skip: conformance always runs every case.
 */
public final class VendoredSchemas {

    private VendoredSchemas() {}

    public static Path dir() {
        String root = System.getProperty("rtfs.repo.root", ".");
        return Path.of(root).toAbsolutePath().resolve("vmm/src/test/resources/upstream").normalize();
    }

    public static Path require(String file) {
        Path p = dir().resolve(file);
        if (!Files.isReadable(p)) {
            fail("vendored upstream schema " + p + " is missing: it is part of the checkout (see upstream/README.md)");
        }
        return p;
    }
}
