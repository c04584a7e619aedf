package dev.rtfs.microvm.egresspolicy.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The remembered normalizations: the same answer as computing afresh, and memory bounded whatever hosts come. */
class HostNormalizerCacheTest {

    @Test
    void aRememberedNormalizationEqualsTheComputedOneForNamesLiteralsAndInvalidHosts() {
        List<String> hosts = List.of("Example.COM.", "bücher.example", "0x7f.1", "[::1]", "127.1", "a..b", "-x.example",
                "ex ample.com", "", "xn--bcher-kva.example", "2130706433", "h".repeat(300));
        for (String h : hosts) {
            NormalizedHost first = HostNormalizer.normalize(h);
            NormalizedHost again = HostNormalizer.normalize(h);
            assertThat(again).as(h).isEqualTo(first);
        }
        assertThat(HostNormalizer.normalize("Example.COM.")).isEqualTo(new NormalizedHost.Name("example.com"));
        assertThat(HostNormalizer.normalize("bücher.example")).isEqualTo(new NormalizedHost.Name("xn--bcher-kva.example"));
        assertThat(HostNormalizer.normalize("0x7f.1")).isInstanceOf(NormalizedHost.Literal.class);
    }

    @Test
    void manyDistinctHostsNeverGrowTheMemoryPastItsBound() {
        long seed = System.nanoTime();
        System.out.println("HostNormalizerCacheTest seed " + seed);
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            String h = "h" + Long.toHexString(r.nextLong()) + ".example";
            assertThat(HostNormalizer.normalize(h)).isEqualTo(new NormalizedHost.Name(h));
            assertThat(HostNormalizer.cacheSize()).isLessThanOrEqualTo(4096);
        }
    }
}
