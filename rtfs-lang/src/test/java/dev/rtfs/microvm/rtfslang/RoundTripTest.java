package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** read(print(v)) == v for generated data values; override the seed with -Drtfs.seed=N to replay a failure. */
class RoundTripTest {

    private static final Logger LOG = LoggerFactory.getLogger(RoundTripTest.class);
    private static final int VALUES = 10_000;

    @Test void generatedValuesRoundTripThroughBothPrinters() {
        long seed = Long.getLong("rtfs.seed", System.nanoTime());
        LOG.info("round trip seed {} (replay with -Drtfs.seed={})", seed, seed);
        RandomValues gen = new RandomValues(new SplittableRandom(seed));
        for (int i = 0; i < VALUES; i++) {
            Value v = gen.value(5);
            String canonical = RtfsPrinter.print(v);
            String context = "seed " + seed + ", value #" + i + ": " + canonical;
            Value back = readOne(canonical, context);
            assertThat(back).as(context).isEqualTo(v);
            // Metadata is ignored by equality, so compare the canonical text too.
            assertThat(RtfsPrinter.print(back)).as(context).isEqualTo(canonical);
            String pretty = RtfsPrinter.pretty(v);
            assertThat(RtfsPrinter.print(readOne(pretty, context + "\npretty:\n" + pretty))).as(context).isEqualTo(canonical);
        }
    }

    private static Value readOne(String text, String context) {
        try {
            List<Value> forms = RtfsReader.readAll("rt", text);
            assertThat(forms).as(context).hasSize(1);
            return forms.get(0);
        } catch (RtfsSyntaxException e) {
            throw new AssertionError(context + "\n-> " + e.span() + " " + e.getMessage(), e);
        }
    }
}
