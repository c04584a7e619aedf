package dev.rtfs.microvm.orchestrator;

import java.util.SplittableRandom;

/** Seeded randomness for property tests and fuzzing: the seed is printed; -Drtfs.seed=N replays a run. */
public final class Seeds {

    private Seeds() {}

    public static long seed(String testName) {
        String fixed = System.getProperty("rtfs.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.decode(fixed.trim()) : new SplittableRandom().nextLong();
        System.out.println(testName + ": seed " + seed + " (replay with -Drtfs.seed=" + seed + ")");
        return seed;
    }

    public static SplittableRandom random(String testName) {
        return new SplittableRandom(seed(testName));
    }
}
