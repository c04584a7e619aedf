package dev.rtfs.microvm.orchestrator.plan;

import java.util.Collection;

/** "Did you mean …" for misspelled keywords. */
final class Suggestions {

    private Suggestions() {}

    /** The closest candidate within edit distance 2, or "" when none is close. */
    static String closest(String word, Collection<String> candidates) {
        String best = "";
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    static String didYouMean(String word, Collection<String> candidates, String prefix) {
        String c = closest(word, candidates);
        return c.isEmpty() ? "" : "did you mean " + prefix + c + "?";
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) return 99;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
