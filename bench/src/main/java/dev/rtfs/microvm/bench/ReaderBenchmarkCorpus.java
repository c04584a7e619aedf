package dev.rtfs.microvm.bench;

import java.util.SplittableRandom;

/**
 * A deterministic RTFS corpus of config-like forms restricted to the subset that EDN also reads (so
 * edn-java and our reader parse the same text): nil/true/false, 64-bit ints, decimal floats, strings with
 * {@code \n \t \" \\} escapes, keywords, symbols, lists, vectors, maps with unique keys, sets, ';' comments
 * and commas. No metadata, block comments, ##Inf/##NaN or ':' inside symbols (not EDN).
 */
public final class ReaderBenchmarkCorpus {

    private static final String[] WORDS = {
        "version", "agent-id", "orchestrator", "isolation", "mode", "microvm", "fs", "ephemeral", "mounts",
        "capabilities", "network", "egress", "via", "proxy", "allow-domains", "tls_pins", "kernel", "image",
        "rootfs", "ro", "resources", "vcpus", "mem_mb", "devices", "nic", "vsock", "cid", "attestation",
        "governance", "policies", "risk_tier", "budgets", "max_cost_usd", "causal_chain", "storage", "path"
    };
    private static final String[] SYMBOLS = {"assoc-in", "agent.config", "->", "deep-merge", "str", "nil?", "update-in", "get"};

    private ReaderBenchmarkCorpus() { }

    /** About {@code targetChars} characters of top-level forms, the same text for the same seed. */
    public static String generate(int targetChars, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(targetChars + 4096);
        int n = 0;
        while (sb.length() < targetChars) {
            sb.append(";; agent ").append(n).append('\n');
            if (r.nextInt(4) == 0) call(sb, r, 0);
            else map(sb, r, 0, n++);
            sb.append("\n\n");
        }
        return sb.toString();
    }

    private static void value(StringBuilder sb, SplittableRandom r, int depth) {
        int k = r.nextInt(depth >= 3 ? 8 : 12);
        switch (k) {
            case 0 -> sb.append(r.nextInt(4) == 0 ? "nil" : r.nextBoolean() ? "true" : "false");
            case 1, 2 -> sb.append(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(-5000, 5000));
            case 3 -> sb.append(r.nextInt(3) == 0 ? Double.toString(r.nextDouble(-1e6, 1e6)) : "2.5e-3");
            case 4, 5 -> string(sb, r);
            case 6 -> sb.append(':').append(WORDS[r.nextInt(WORDS.length)]);
            case 7 -> sb.append(SYMBOLS[r.nextInt(SYMBOLS.length)]);
            case 8 -> vector(sb, r, depth + 1);
            case 9 -> set(sb, r, depth + 1);
            case 10 -> call(sb, r, depth + 1);
            default -> map(sb, r, depth + 1, -1);
        }
    }

    private static void string(StringBuilder sb, SplittableRandom r) {
        sb.append('"');
        int len = r.nextInt(4, 40);
        for (int i = 0; i < len; i++) {
            int c = r.nextInt(60);
            if (c == 0) sb.append("\\n");
            else if (c == 1) sb.append("\\\"");
            else if (c == 2) sb.append("é");
            else if (c < 8) sb.append('.');
            else sb.append((char) ('a' + r.nextInt(26)));
        }
        sb.append('"');
    }

    private static void map(StringBuilder sb, SplittableRandom r, int depth, int id) {
        sb.append('{');
        int entries = depth == 0 ? 8 : r.nextInt(1, 6);
        int first = r.nextInt(WORDS.length);
        for (int i = 0; i < entries; i++) {
            if (i > 0) sb.append(depth == 0 ? "\n " : r.nextInt(5) == 0 ? ", " : " ");
            // Distinct keys: consecutive words from a random start (entries < WORDS.length).
            sb.append(':').append(WORDS[(first + i) % WORDS.length]).append(' ');
            if (i == 0 && id >= 0) sb.append('"').append("agent-").append(id).append('"');
            else value(sb, r, depth);
        }
        sb.append('}');
    }

    private static void vector(StringBuilder sb, SplittableRandom r, int depth) {
        sb.append('[');
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            value(sb, r, depth);
        }
        sb.append(']');
    }

    private static void set(StringBuilder sb, SplittableRandom r, int depth) {
        sb.append("#{");
        int n = r.nextInt(1, 5);
        int first = r.nextInt(WORDS.length);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(':').append(WORDS[(first + i) % WORDS.length]); // distinct elements
        }
        sb.append('}');
    }

    private static void call(StringBuilder sb, SplittableRandom r, int depth) {
        sb.append('(').append(SYMBOLS[r.nextInt(SYMBOLS.length)]);
        int n = r.nextInt(1, 5);
        for (int i = 0; i < n; i++) {
            sb.append(' ');
            value(sb, r, depth);
        }
        sb.append(')');
    }
}
