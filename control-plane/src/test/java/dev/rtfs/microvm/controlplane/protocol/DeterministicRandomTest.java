package dev.rtfs.microvm.controlplane.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeterministicRandomTest {

    /** "0x2a" as written in a plan, UTF-8, hex. */
    private static final String SEED = "30783261";

    @Test
    void drawsMatchTheVectorsComputedIndependently() {
        // python3: int.from_bytes(sha256(b"rtfs-random/v1|30783261|0|0|0").digest()[:4], "big") == 108638126
        assertThat(new DeterministicRandom(SEED, 0, 0).word(0)).isEqualTo(108_638_126L);
        assertThat(new DeterministicRandom(SEED, 0, 0).nextBelow(100)).isEqualTo(26);
        assertThat(new DeterministicRandom(SEED, 0, 1).nextBelow(100)).isEqualTo(17);
        assertThat(new DeterministicRandom(SEED, 1, 0).nextBelow(6)).isEqualTo(0);
        assertThat(new DeterministicRandom(SEED, 2, 3).nextBelow(2_147_483_647)).isEqualTo(2_116_634_690L);
        assertThat(new DeterministicRandom(SEED, 0, 0).nextBelow(1)).isZero();
    }

    @Test
    void aWordInTheBiasedTailIsRedrawnWithTheNextDrawIndex() {
        DeterministicRandom r = new DeterministicRandom(SEED, 0, 3);
        long max = 1_500_000_001L; // 2^32 - 2^32 % max = 3_000_000_002: draw 0 (3_191_667_884) lies above it
        assertThat(r.word(0)).isGreaterThanOrEqualTo(3_000_000_002L);
        assertThat(r.nextBelow(max)).isEqualTo(665_102_372L).isEqualTo(r.word(1) % max);
    }

    @Test
    void theSameContextGivesTheSameValueAndAnotherSeedStepOrCallAnother() {
        long v = new DeterministicRandom(SEED, 4, 7).nextBelow(1_000_000_000);
        assertThat(new DeterministicRandom(SEED, 4, 7).nextBelow(1_000_000_000)).isEqualTo(v);
        assertThat(new DeterministicRandom("3433", 4, 7).nextBelow(1_000_000_000)).isNotEqualTo(v);
        assertThat(new DeterministicRandom(SEED, 5, 7).nextBelow(1_000_000_000)).isNotEqualTo(v);
        assertThat(new DeterministicRandom(SEED, 4, 8).nextBelow(1_000_000_000)).isNotEqualTo(v);
    }

    @Test
    void rejectionSamplingNeverReturnsMaxOrMore() {
        long seed = System.nanoTime();
        System.out.println("DeterministicRandomTest seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            long max = switch (i % 3) {
                case 0 -> 1 + random.nextInt(10);
                case 1 -> (1L << 31) - 1 - random.nextInt(1000); // large bounds reject most often
                default -> 1 + random.nextInt(Integer.MAX_VALUE);
            };
            long v = new DeterministicRandom(SEED, random.nextInt(100), i).nextBelow(max);
            assertThat(v).as("max %d, call %d", max, i).isBetween(0L, max - 1);
        }
    }

    @Test
    void valuesAreUniformByChiSquare() {
        int buckets = 10;
        int n = 20_000;
        long[] counts = new long[buckets];
        for (int i = 0; i < n; i++) counts[(int) new DeterministicRandom(SEED, i / 1000, i % 1000).nextBelow(buckets)]++;
        double expected = (double) n / buckets;
        double chi = 0;
        for (long c : counts) chi += (c - expected) * (c - expected) / expected;
        // 9 degrees of freedom: p = 0.001 at 27.88; the sample is fixed, so this is not flaky
        assertThat(chi).as("chi-square of %s", java.util.Arrays.toString(counts)).isLessThan(27.88);
    }

    @Test
    void aBoundOutsideOneToIntMaxIsRefused() {
        DeterministicRandom r = new DeterministicRandom(SEED, 0, 0);
        assertThatThrownBy(() -> r.nextBelow(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.nextBelow(1L << 31)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeterministicRandom("2A", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeterministicRandom(SEED, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
