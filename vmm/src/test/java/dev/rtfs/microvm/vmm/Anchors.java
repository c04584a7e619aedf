package dev.rtfs.microvm.vmm;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The upstream schemas, vendored in vmm/src/test/resources/upstream (see its README). Missing locally: the test is
 * skipped with a message; missing under CI=true: the test fails, so a broken checkout can never pass conformance
 * silently.
 */
public final class Anchors {

    private Anchors() {}

    public static Path dir() {
        String root = System.getProperty("rtfs.repo.root", ".");
        return Path.of(root).toAbsolutePath().resolve("vmm/src/test/resources/upstream").normalize();
    }

    public static Path require(String file) {
        Path p = dir().resolve(file);
        requireThat(Files.isReadable(p), "upstream schema " + p + " is missing");
        return p;
    }

    /** Skip locally, fail under CI=true. */
    public static void requireThat(boolean ok, String message) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(message + " [CI=true: prerequisites must be present]");
        Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }
}
