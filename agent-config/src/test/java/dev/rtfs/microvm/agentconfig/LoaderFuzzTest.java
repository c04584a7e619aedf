package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Any input gives diagnostics, never an exception: random mutations of the example config and of the macro
 * call go through read, eval, validate and all three renderers. Seed: -Drtfs.fuzz.seed=N (printed).
 */
class LoaderFuzzTest {

    private static final String[] TOKENS = {"(", ")", "[", "]", "{", "}", "#{", "\"", ":", ":microvm", ":mem_mb", ":mem-mb",
            " ", "\n", "0", "-1", "99999999999999999999", "1e5", "nil", "true", "\"x\"", ";", "#_", "^:k", "\\", "agent.config",
            ":allow-domains", "[]", "{}", ":cid", ":ro", ":enabled", "(assoc-in {} [:a] 1)", "(fn [x] x)",
            ":tls", ":intercept", ":credentials", ":header", ":env", ":file", ":value", ":client_cert", "\"api.example.com\"",
            "[{}]", "{\"a.b\" []}", "{\"a.b\" [{:header \"X\"}]}"};

    @Test
    void mutatedConfigsNeverThrow() {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        System.out.println("LoaderFuzzTest seed=" + seed + " (rerun with -Drtfs.fuzz.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        SourceFile macros = Fixtures.doc(Fixtures.MACROS);
        String[] bases = {Fixtures.doc(Fixtures.EXAMPLE).text(), Fixtures.VALID, ManyProblemsTest.MANY,
                Fixtures.doc("docs/examples/agent.config.tls.rtfs").text(),
                "(profile:microvm-networked \"agent.x\" [\"example.com\"])"};
        for (int i = 0; i < 1500; i++) {
            String base = bases[rnd.nextInt(bases.length)];
            StringBuilder text = new StringBuilder(base);
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(text.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> text.insert(at, TOKENS[rnd.nextInt(TOKENS.length)]);
                    case 1 -> text.delete(at, Math.min(text.length(), at + 1 + rnd.nextInt(12)));
                    default -> { if (at < text.length()) text.setCharAt(at, (char) (32 + rnd.nextInt(95))); }
                }
            }
            SourceFile f = new SourceFile("fuzz.rtfs", text.toString());
            ConfigCheckResult r;
            try {
                r = ConfigLoader.load(base.startsWith("(profile") ? List.of(macros) : List.of(), f);
                CheckReport report = new CheckReport(List.of(FileReport.of(r, false)));
                for (ReportFormat fmt : ReportFormat.values()) fmt.render(report, false);
            } catch (RuntimeException | StackOverflowError ex) {
                throw new AssertionError("seed " + seed + " iteration " + i + " input:\n" + text, ex);
            }
            for (Diagnostic d : r.diagnostics()) {
                assertThat(d.span().isKnown()).as("seed %d: positioned %s", seed, d).isTrue();
                assertThat(r.sources()).as("seed %d: source of %s", seed, d).containsKey(d.span().source());
            }
        }
    }
}
