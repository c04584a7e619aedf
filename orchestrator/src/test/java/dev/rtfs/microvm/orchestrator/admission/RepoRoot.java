package dev.rtfs.microvm.orchestrator.admission;

import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The repository root (set by surefire) and the skip-locally / fail-on-CI rule for missing prerequisites. */
final class RepoRoot {

    private RepoRoot() {}

    static Path path() {
        return Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    }

    static void require(boolean ok, String what) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) Assertions.fail("prerequisite missing under CI=true: " + what);
        Assumptions.abort("skipped: " + what);
    }
}
