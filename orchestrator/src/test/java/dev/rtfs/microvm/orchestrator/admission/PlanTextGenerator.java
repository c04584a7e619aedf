package dev.rtfs.microvm.orchestrator.admission;

import java.util.List;
import java.util.SplittableRandom;

/** Random plan texts over small pools that mix allowed and refused domains, paths and effects. */
final class PlanTextGenerator {

    static final List<String> DOMAINS = List.of("example.com", "api.example.com", "x.api.example.com",
            "*.api.example.com", "*.example.com", "evil.com", "example.com.evil.com", "EXAMPLE.com.");
    static final List<String> PATHS = List.of("/tmp/agent/out", "/tmp/agent", "/tmp/agent/steps/0/x", "/etc/passwd",
            "/tmp/agent/../etc", "/agent/capabilities/tool", "/tmp/agentx", "/", "relative/out");
    static final List<String> URLS = List.of("https://example.com/x", "https://x.api.example.com/y", "https://evil.com/",
            "http://api.example.com:8080/", "https://EXAMPLE.com./z", "https://example.com@evil.com/", "http://10.0.0.1/");
    static final List<String> METHODS = List.of(":GET", ":POST", ":PUT");
    static final List<String> MODES = List.of(":read", ":write", ":append");

    private final SplittableRandom random;

    PlanTextGenerator(SplittableRandom random) {
        this.random = random;
    }

    String plan() {
        StringBuilder sb = new StringBuilder("(plan ^{:effects ").append(random.nextBoolean() ? wideRow() : row());
        if (random.nextBoolean()) sb.append(" :resources {:max_time_ms ").append(1 + random.nextInt(60000)).append('}');
        sb.append(" :determinism {:time ").append(random.nextBoolean() ? ":deterministic" : ":real")
                .append(" :random ").append(switch (random.nextInt(3)) {
                    case 0 -> ":real";
                    case 1 -> ":deterministic";
                    default -> "{:seed \"0x" + Integer.toHexString(random.nextInt(1 << 16)) + "\"}";
                }).append("}}\n  :program (do\n");
        int steps = 1 + random.nextInt(4);
        for (int i = 0; i < steps; i++) {
            sb.append("    (step \"s").append(i).append("\" ");
            if (random.nextBoolean()) sb.append("^{:effects ").append(row()).append("} ");
            sb.append("(do ");
            int calls = random.nextInt(3);
            for (int c = 0; c < calls; c++) sb.append(call()).append(' ');
            sb.append("nil))\n");
        }
        return sb.append("))\n").toString();
    }

    private String wideRow() {
        return "[:network :fs :clock :random :llm :gpu :process]";
    }

    private String row() {
        StringBuilder sb = new StringBuilder("[");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append("[:network {:domains ").append(pick(DOMAINS, true))
                        .append(random.nextBoolean() ? " :methods " + pick(METHODS, false) : "")
                        .append(random.nextInt(4) == 0 ? " :ports [8443]" : "").append("}]");
                case 1 -> sb.append("[:fs {:paths ").append(pick(PATHS, true)).append(" :modes ").append(pick(MODES, false)).append("}]");
                case 2 -> sb.append(":random");
                case 3 -> sb.append(":clock");
                case 4 -> sb.append(random.nextBoolean() ? "[:llm {:models [\"m\"]}]" : ":gpu");
                default -> sb.append(":process");
            }
            sb.append(' ');
        }
        return sb.append(']').toString();
    }

    private String call() {
        return switch (random.nextInt(6)) {
            case 0 -> "(call :http.get {:url \"" + URLS.get(random.nextInt(URLS.size())) + "\"})";
            case 1 -> "(call :http.post {:url \"" + URLS.get(random.nextInt(URLS.size())) + "\"})";
            case 2 -> "(call " + (random.nextBoolean() ? ":fs.read" : ":fs.write") + " {:path \""
                    + PATHS.get(random.nextInt(PATHS.size())) + "\"})";
            case 3 -> "(call :random.int {:max 6})";
            case 4 -> "(call :clock.now {})";
            default -> "(call :echo {:msg \"hi\"})";
        };
    }

    private String pick(List<String> pool, boolean quoted) {
        StringBuilder sb = new StringBuilder("[");
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            String v = pool.get(random.nextInt(pool.size()));
            sb.append(quoted ? "\"" + v + "\"" : v).append(' ');
        }
        return sb.append(']').toString();
    }
}
