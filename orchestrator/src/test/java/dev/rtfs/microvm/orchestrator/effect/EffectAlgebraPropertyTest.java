package dev.rtfs.microvm.orchestrator.effect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.orchestrator.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lattice laws of the effects algebra over 10,000+ generated rows per property (seeded, see {@link Seeds}). */
class EffectAlgebraPropertyTest {

    static final int ROWS = 10_000;

    @Test
    void subtypingIsReflexiveForItemsAndRows() {
        EffectGenerator gen = new EffectGenerator(Seeds.random("subtypingIsReflexive"));
        for (int i = 0; i < ROWS; i++) {
            Effect e = gen.item();
            assertThat(e.within(e)).as("item %s", e).isTrue();
            EffectRow r = gen.row();
            assertThat(r.within(r)).as("row %s", r).isTrue();
        }
    }

    @Test
    void subtypingIsTransitive() {
        long seed = Seeds.seed("subtypingIsTransitive");
        EffectGenerator gen = new EffectGenerator(new SplittableRandom(seed));
        int chains = 0;
        for (int i = 0; i < ROWS; i++) {
            // Chains built by widening (union) and narrowing (intersection), plus unrelated triples.
            EffectRow a = gen.row();
            EffectRow b = a.union(gen.row());
            EffectRow c = b.union(gen.row());
            EffectRow narrower = a.intersect(gen.row());
            assertThat(a.within(b)).as("seed %d: %s <= %s", seed, a, b).isTrue();
            assertThat(b.within(c)).as("seed %d", seed).isTrue();
            assertThat(a.within(c)).as("seed %d: %s <= %s", seed, a, c).isTrue();
            assertThat(narrower.within(c)).as("seed %d: %s <= %s", seed, narrower, c).isTrue();
            EffectRow x = gen.row();
            EffectRow y = gen.row();
            EffectRow z = gen.row();
            if (x.within(y) && y.within(z)) {
                chains++;
                assertThat(x.within(z)).as("seed %d: %s <= %s <= %s", seed, x, y, z).isTrue();
            }
            Effect p = gen.item();
            Effect q = gen.item();
            Effect s = gen.item();
            if (p.within(q) && q.within(s)) assertThat(p.within(s)).as("seed %d: %s %s %s", seed, p, q, s).isTrue();
        }
        assertThat(chains).as("random triples that form a chain").isPositive();
    }

    @Test
    void normalizationIsIdempotentAndMergesByIntersection() {
        long seed = Seeds.seed("normalizationIsIdempotent");
        EffectGenerator gen = new EffectGenerator(new SplittableRandom(seed));
        for (int i = 0; i < ROWS; i++) {
            List<Effect> items = gen.items();
            EffectRow.Normalization once = EffectRow.normalize(items);
            EffectRow.Normalization twice = EffectRow.normalize(once.row().effects());
            assertThat(twice.ok()).isTrue();
            assertThat(twice.row()).as("seed %d: %s", seed, items).isEqualTo(once.row());
            // Every surviving kind is within each written item of that kind; empty merges are reported.
            for (Effect item : items) {
                once.row().get(item.kind()).ifPresent(m -> assertThat(m.within(item)).as("seed %d", seed).isTrue());
                boolean reported = once.empties().stream().anyMatch(e -> e.kind() == item.kind());
                assertThat(once.row().has(item.kind()) ^ reported).as("seed %d: %s", seed, items).isTrue();
            }
        }
    }

    @Test
    void unionStaysWithinACommonEnvelopeAndBoundsBothInputs() {
        long seed = Seeds.seed("unionStaysWithinEnvelope");
        EffectGenerator gen = new EffectGenerator(new SplittableRandom(seed));
        int defined = 0;
        for (int i = 0; i < ROWS; i++) {
            EffectRow envelope = gen.row();
            EffectRow a = envelope.intersect(gen.row());
            EffectRow b = envelope.intersect(gen.row());
            EffectRow joined = EffectRow.normalize(a.union(b).effects()).row();
            assertThat(joined.within(envelope)).as("seed %d: %s ∪ %s within %s", seed, a, b, envelope).isTrue();
            assertThat(a.within(joined)).isTrue();
            assertThat(b.within(joined)).isTrue();
            // Least upper bound: any common upper bound contains the join.
            EffectRow bound = gen.row();
            if (a.within(bound) && b.within(bound)) assertThat(joined.within(bound)).as("seed %d", seed).isTrue();

            // Normalizing the concatenated items (both as constraints), where defined, is within each input's items.
            List<Effect> both = new ArrayList<>(a.effects());
            both.addAll(b.effects());
            EffectRow.Normalization n = EffectRow.normalize(both);
            if (n.ok()) {
                defined++;
                for (EffectRow input : List.of(a, b)) {
                    for (Effect e : input.effects()) {
                        assertThat(n.row().get(e.kind()).orElseThrow().within(e)).as("seed %d", seed).isTrue();
                    }
                }
                assertThat(n.row().within(envelope)).isTrue();
            }
        }
        assertThat(defined).isPositive();
    }

    @Test
    void intersectionIsContainedInBothOperandsAndIsTheGreatestLowerBound() {
        long seed = Seeds.seed("intersectionContained");
        EffectGenerator gen = new EffectGenerator(new SplittableRandom(seed));
        for (int i = 0; i < ROWS; i++) {
            EffectRow a = gen.row();
            EffectRow b = gen.row();
            EffectRow meet = a.intersect(b);
            assertThat(meet.within(a)).as("seed %d: %s ∩ %s", seed, a, b).isTrue();
            assertThat(meet.within(b)).as("seed %d: %s ∩ %s", seed, a, b).isTrue();
            assertThat(a.intersect(b)).isEqualTo(b.intersect(a));
            EffectRow c = gen.row();
            if (c.within(a) && c.within(b)) assertThat(c.within(meet)).as("seed %d: %s", seed, c).isTrue();
            Effect p = gen.item();
            Effect q = gen.item();
            if (p.kind() == q.kind()) {
                Effect m = p.intersect(q);
                assertThat(m.within(p) && m.within(q)).as("seed %d: %s ∩ %s", seed, p, q).isTrue();
            }
        }
    }

    @Test
    void containmentExamplesFromTheDesign() {
        NetworkEffect one = new NetworkEffect(ParamSet.of(List.of("a.com"), Covering.DOMAINS), ParamSet.any(), ParamSet.any());
        NetworkEffect two = new NetworkEffect(ParamSet.of(List.of("a.com", "b.com"), Covering.DOMAINS), ParamSet.any(), ParamSet.any());
        assertThat(one.within(two)).isTrue();
        assertThat(two.within(one)).isFalse();
        NetworkEffect wildcard = new NetworkEffect(ParamSet.of(List.of("*.a.com"), Covering.DOMAINS), ParamSet.any(), ParamSet.any());
        NetworkEffect sub = new NetworkEffect(ParamSet.of(List.of("api.a.com"), Covering.DOMAINS), ParamSet.any(), ParamSet.any());
        assertThat(sub.within(wildcard)).isTrue();
        assertThat(one.within(wildcard)).as("*.a.com covers subdomains only").isFalse();
        FsEffect out = new FsEffect(ParamSet.of(List.of("/tmp/agent/out"), Covering.PATHS), ParamSet.of(List.of(FsMode.WRITE), Covering.equality()));
        FsEffect agent = new FsEffect(ParamSet.of(List.of("/tmp/agent"), Covering.PATHS), ParamSet.any());
        FsEffect lookalike = new FsEffect(ParamSet.of(List.of("/tmp/agentx"), Covering.PATHS), ParamSet.any());
        assertThat(out.within(agent)).isTrue();
        assertThat(lookalike.within(agent)).isFalse();
        // Same kind merges by intersection; disjoint domains leave nothing and are reported.
        EffectRow.Normalization n = EffectRow.normalize(List.of(one,
                new NetworkEffect(ParamSet.of(List.of("b.com"), Covering.DOMAINS), ParamSet.any(), ParamSet.any())));
        assertThat(n.ok()).isFalse();
        assertThat(n.empties()).singleElement().extracting(Effect::emptyParameter).isEqualTo("domains");
    }
}
