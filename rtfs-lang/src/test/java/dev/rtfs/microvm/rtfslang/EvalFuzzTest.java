package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random programs over every built-in and special form: evaluation ends with a value or an RTFS error,
 * never another exception. Seed: -Drtfs.fuzz.seed=N to replay.
 */
class EvalFuzzTest {

    private static final String[] HEADS;
    private static final String[] ATOMS = {
        "1", "0", "-3", "2.5", "\"s\"", "\"\"", ":k", ":allow-domains", "nil", "true", "false", "x", "f", "inc",
        "[1 2]", "[]", "{:a 1}", "{}", "#{1}", "(quote (a b))", "[:a :b]", "(agent.config :a 1 :b)", "9223372036854775807",
    };

    static {
        List<String> heads = new java.util.ArrayList<>();
        for (BuiltinOp op : BuiltinOp.values()) heads.add(op.rtfsName);
        for (SpecialForm f : SpecialForm.values()) heads.add(f.rtfsName);
        heads.add("f");
        heads.add(":k");
        HEADS = heads.toArray(String[]::new);
    }

    private static String form(SplittableRandom r, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) return ATOMS[r.nextInt(ATOMS.length)];
        int kind = r.nextInt(10);
        if (kind == 0) return "[" + form(r, depth - 1) + " " + form(r, depth - 1) + "]";
        if (kind == 1) return "(fn [x & more] " + form(r, depth - 1) + ")";
        if (kind == 2) return "(let [x " + form(r, depth - 1) + "] " + form(r, depth - 1) + ")";
        StringBuilder sb = new StringBuilder("(").append(HEADS[r.nextInt(HEADS.length)]);
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) sb.append(' ').append(form(r, depth - 1));
        return sb.append(')').toString();
    }

    @Test
    void randomProgramsEndInAValueOrAnRtfsError() {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        SplittableRandom r = new SplittableRandom(seed);
        int values = 0;
        for (int i = 0; i < 20_000; i++) {
            String program = "(def x " + form(r, 2) + ") (defn f [a & b] " + form(r, 3) + ") " + form(r, 4);
            try {
                Value v = Rtfs.evaluate(List.of(), new SourceFile("fuzz.rtfs", program), new EvalLimits(20_000, 64));
                RtfsPrinter.print(v);
                values++;
            } catch (RtfsException expected) {
                assertThat(expected.span()).isNotNull();
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + seed + " (-Drtfs.fuzz.seed=" + seed + "): " + e + "\nprogram: " + program, e);
            }
        }
        assertThat(values).as("some programs must succeed (seed %d)", seed).isGreaterThan(1_000);
    }
}
