package dev.rtfs.microvm.orchestrator.effect;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An effect item written back as RTFS, for messages: {@code [:network {:domains ["a.com"] :methods [:GET]}]}. */
public final class EffectText {

    private EffectText() {}

    public static String of(Effect e) {
        List<String> params = new ArrayList<>();
        switch (e) {
            case NetworkEffect n -> {
                add(params, "domains", n.domains(), true);
                add(params, "methods", n.methods(), false);
                add(params, "ports", n.ports(), false);
            }
            case FsEffect f -> {
                add(params, "paths", f.paths(), true);
                if (!f.modes().unconstrained()) {
                    params.add(":modes [" + f.modes().values().stream().map(m -> ":" + m.keyword())
                            .collect(Collectors.joining(" ")) + "]");
                }
            }
            case LlmEffect l -> add(params, "models", l.models(), true);
            case BareEffect b -> { }
        }
        String kind = ":" + e.kind().keyword();
        return params.isEmpty() ? "[" + kind + "]" : "[" + kind + " {" + String.join(" ", params) + "}]";
    }

    private static void add(List<String> params, String name, ParamSet<?> set, boolean quoted) {
        if (set.unconstrained()) return;
        String values = set.values().stream()
                .map(v -> quoted ? "\"" + v + "\"" : v instanceof String s ? ":" + s : String.valueOf(v))
                .collect(Collectors.joining(" "));
        params.add(":" + name + " [" + values + "]");
    }
}
