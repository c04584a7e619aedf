package dev.rtfs.microvm.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.Seeds;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Mutated plan texts give diagnostics with known codes, never exceptions. */
class PlanFuzzTest {

    static final int MUTANTS = 20_000;
    static final String ALPHABET = "()[]{}^:\"#;_ \n\\@./*-0123456789abcxyz";
    static final List<String> TOKENS = List.of("(step \"x\" 1)", "(call :http.get {:url \"https://a\"})", "[:network {:domains [1]}]",
            ":effects", ":program", "^{:effects [:nope]}", "(plan)", "{:seed nil}", "[:fs {:paths [\"..\"]}]", "#_", "(quote (call))",
            ":random", "^:gpu", "\"\"", "{:max_time_ms \"x\"}");

    static final String BASE = """
            (plan
              ^{:effects [[:network {:domains ["api.example.com" "*.example.com"] :methods [:GET :POST]}]
                          [:fs {:paths ["/tmp/agent"] :modes [:read :write]}] :random :clock [:llm {:models ["m"]}]]
                :resources {:max_time_ms 30000}
                :determinism {:time :deterministic :random {:seed "0x2a"}}}
              :program
              (do
                (step "Fetch" ^{:effects [[:network {:domains ["api.example.com"] :methods [:GET]}]]}
                  (call :http.get {:url "http://api.example.com/items"}))
                (let [n (step "Roll" (call :random.int {:max 6}))]
                  (step "Store" (call :fs.write {:path "/tmp/agent/out/items.json" :content n})))))
            """;

    @Test
    void mutatedPlansNeverThrow() {
        long seed = Seeds.seed("mutatedPlansNeverThrow");
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> codes = Arrays.stream(AdmissionCode.values()).map(AdmissionCode::name).collect(Collectors.toSet());
        codes.add("RTFS_SYNTAX");
        assertThat(Plans.admit(BASE).diagnostics()).as(Plans.describe(Plans.admit(BASE).diagnostics())).isEmpty();
        int refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            String text = mutate(BASE, random, 1 + random.nextInt(4));
            AdmissionResult r;
            try {
                r = Plans.admit(text);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " mutant " + i + " threw on:\n" + text, e);
            }
            for (Diagnostic d : r.diagnostics()) {
                assertThat(codes).as("seed %d: %s", seed, d).contains(d.code().name());
                assertThat(d.message()).isNotBlank();
            }
            if (!r.admitted()) {
                refused++;
                assertThat(r.profiles()).isEmpty();
                assertThat(r.errors()).as("seed %d: refused without an error:\n%s", seed, text).isNotEmpty();
            }
        }
        assertThat(refused).isPositive();
    }

    static String mutate(String text, SplittableRandom random, int times) {
        StringBuilder sb = new StringBuilder(text);
        for (int t = 0; t < times; t++) {
            int at = sb.isEmpty() ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(5)) {
                case 0 -> sb.deleteCharAt(Math.min(at, Math.max(0, sb.length() - 1)));
                case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> sb.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
                case 3 -> {
                    int end = Math.min(sb.length(), at + 1 + random.nextInt(20));
                    sb.delete(at, end);
                }
                default -> {
                    int end = Math.min(sb.length(), at + 1 + random.nextInt(30));
                    sb.insert(random.nextInt(sb.length() + 1), sb.substring(at, end));
                }
            }
            if (sb.isEmpty()) break;
        }
        return sb.toString();
    }
}
