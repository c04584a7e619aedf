package dev.rtfs.microvm.agentconfig;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" by edit distance (Levenshtein; '_' and '-' count as equal), shared by config validation and
 * plan reading so every misspelled keyword gets the same kind of hint.
 */
public final class Suggestions {
    private Suggestions() {}

    /** The closest candidate within a distance that still looks like a typo, if any. */
    public static Optional<String> closest(String written, Collection<String> candidates) {
        String w = MapSpec.normalize(written);
        int limit = Math.max(2, w.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, MapSpec.normalize(c));
            if (d < bestDistance) { best = c; bestDistance = d; }
        }
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    /** "did you mean PREFIX+candidate?", or "" when no candidate is close. */
    public static String didYouMean(String written, Collection<String> candidates, String prefix) {
        return closest(written, candidates).map(c -> "did you mean " + prefix + c + "?").orElse("");
    }

    // Two-row dynamic programming; keys are short, so this is cheap.
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
