package dev.rtfs.microvm.orchestrator.effect;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random effect items and rows over small value pools, so that containment and overlap happen often. */
final class EffectGenerator {

    static final List<String> DOMAINS = List.of(
            "a.com", "b.com", "x.a.com", "y.x.a.com", "*.a.com", "*.x.a.com", "*.b.com", "c.org", "*.org");
    static final List<String> PATHS = List.of(
            "/", "/tmp/agent", "/tmp/agent/out", "/tmp/agent/out/x", "/tmp/agent/in", "/agent/capabilities", "/etc");
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE");
    static final List<Integer> PORTS = List.of(80, 443, 8443);
    static final List<FsMode> MODES = List.of(FsMode.values());
    static final List<String> MODELS = List.of("m1", "m2", "m3");

    private final SplittableRandom random;

    EffectGenerator(SplittableRandom random) {
        this.random = random;
    }

    /** A raw item list (several items may share a kind, parameters may be empty). */
    List<Effect> items() {
        int n = random.nextInt(5);
        List<Effect> items = new ArrayList<>();
        for (int i = 0; i < n; i++) items.add(item());
        return items;
    }

    /** A normalized row (raw items normalized; empty kinds dropped). */
    EffectRow row() {
        return EffectRow.normalize(items()).row();
    }

    Effect item() {
        EffectKind kind = EffectKind.values()[random.nextInt(EffectKind.values().length)];
        return switch (kind) {
            case NETWORK -> new NetworkEffect(param(DOMAINS, Covering.DOMAINS), param(METHODS, Covering.equality()),
                    param(PORTS, Covering.equality()));
            case FS -> new FsEffect(param(PATHS, Covering.PATHS), param(MODES, Covering.equality()));
            case LLM -> new LlmEffect(param(MODELS, Covering.equality()));
            default -> new BareEffect(kind);
        };
    }

    private <T extends Comparable<? super T>> ParamSet<T> param(List<T> pool, Covering<T> covering) {
        if (random.nextInt(10) < 3) return ParamSet.any();
        int size = random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(3);
        List<T> values = new ArrayList<>();
        for (int i = 0; i < size; i++) values.add(pool.get(random.nextInt(pool.size())));
        return ParamSet.of(values, covering);
    }
}
