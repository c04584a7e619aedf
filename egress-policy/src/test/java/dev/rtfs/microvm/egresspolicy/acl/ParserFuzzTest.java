package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rtfs.microvm.egresspolicy.decision.TargetParser;
import dev.rtfs.microvm.egresspolicy.dlp.DlpScanner;
import dev.rtfs.microvm.egresspolicy.net.Cidr;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Seeded fuzz (replay with -Dfuzz.seed=N) of every text parser of the module: the ACL codec either returns an ACL
 * or throws {@link AclFormatException}; host, target, CIDR and DLP code never throw on any input.
 */
class ParserFuzzTest {

    private static final String ALPHABET = "{}[]\":,. 0123456789abcxyz*-_@#/%:\\\u00e9\u0000\uff0e\n"
            + "agents allow_domains allow_methods connect_ports allow_ranges dlp rate per_second burst listen mode resolve";

    @Test
    void parsersNeverCrash() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        LoggerFactory.getLogger(ParserFuzzTest.class).info("parser fuzz seed {}", seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        String base = AclCodecTest.DESIGN_EXAMPLE;
        int parsed = 0;
        for (int i = 0; i < 5000; i++) {
            String text;
            if (rnd.nextBoolean()) {
                StringBuilder sb = new StringBuilder(base);
                int edits = 1 + rnd.nextInt(4);
                for (int e = 0; e < edits && sb.length() > 0; e++) {
                    int at = rnd.nextInt(sb.length());
                    switch (rnd.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                        default -> sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    }
                }
                text = sb.toString();
            } else {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(40);
                for (int k = 0; k < n; k++) {
                    sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                }
                text = sb.toString();
            }
            try {
                AclCodec.parseFile(text);
                parsed++;
            } catch (AclFormatException expected) {
                assertThat(expected.path()).isNotBlank();
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": " + e + " on " + text, e);
            }
            try {
                HostNormalizer.normalize(text);
                TargetParser.absolute(text);
                TargetParser.connect(text);
                Cidr.parse(text);
                DlpScanner.scan(text);
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": " + e + " on " + text, e);
            }
        }
        assertThat(parsed).as("some mutations stay valid").isPositive();
    }
}
