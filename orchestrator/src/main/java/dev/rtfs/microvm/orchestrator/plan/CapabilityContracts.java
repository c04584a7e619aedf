package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog;
import dev.rtfs.microvm.rtfslang.MapValue;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.Value;
import dev.rtfs.microvm.orchestrator.effect.BareEffect;
import dev.rtfs.microvm.orchestrator.effect.Covering;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import dev.rtfs.microvm.orchestrator.effect.FsEffect;
import dev.rtfs.microvm.orchestrator.effect.FsMode;
import dev.rtfs.microvm.orchestrator.effect.LlmEffect;
import dev.rtfs.microvm.orchestrator.effect.NetworkEffect;
import dev.rtfs.microvm.orchestrator.effect.ParamSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The effects of the built-in capabilities, inferred from literal call arguments when a step
 * does not declare its effects: {@code :http.get/:http.post} → network (domain, method and port from the
 * URL), {@code :fs.read/:fs.write/:fs.append} → fs (path, mode), {@code :clock.now} → clock,
 * {@code :random.int} → random, {@code :llm.complete} → llm (model when literal), {@code :echo} → none.
 */
public final class CapabilityContracts {

    /** The capabilities that have a contract. */
    public static final Set<String> KNOWN = Set.of(
            "http.get", "http.post", "fs.read", "fs.write", "fs.append", "clock.now", "random.int", "llm.complete", "echo");

    private CapabilityContracts() {}

    /** The inferred effects, or why they cannot be inferred. Exactly one side is meaningful. */
    public record Inference(Optional<List<Effect>> effects, String problem) {
        static Inference of(Effect... effects) { return new Inference(Optional.of(List.of(effects)), ""); }
        static Inference fail(String problem) { return new Inference(Optional.empty(), problem); }
    }

    public static Inference infer(CallSite call) {
        return infer(call, CapabilityCatalog.OPEN);
    }

    /**
     * As {@link #infer(CallSite)}, and a user capability of {@code catalog} has its manifest's effects, whatever its
     * arguments.
     */
    public static Inference infer(CallSite call, CapabilityCatalog catalog) {
        if (call.capability().isEmpty()) return Inference.fail("the capability is not a literal keyword");
        String cap = call.capability().get();
        Optional<List<Effect>> user = catalog.userEffects(cap);
        if (user.isPresent()) return new Inference(user, "");
        // A contract reads one argument map; what a runtime would make of more is unknown, so nothing is inferred.
        if (call.argCount() > 1) return Inference.fail(call.label() + " takes one argument map, got " + call.argCount());
        return switch (cap) {
            case "http.get" -> http(call, "GET");
            case "http.post" -> http(call, "POST");
            case "fs.read" -> fs(call, FsMode.READ);
            case "fs.write" -> fs(call, FsMode.WRITE);
            case "fs.append" -> fs(call, FsMode.APPEND);
            case "clock.now" -> Inference.of(new BareEffect(EffectKind.CLOCK));
            case "random.int" -> Inference.of(new BareEffect(EffectKind.RANDOM));
            case "llm.complete" -> llm(call);
            case "echo" -> Inference.of();
            default -> Inference.fail("no built-in capability contract for :" + cap);
        };
    }

    private static Inference http(CallSite call, String method) {
        Optional<String> url = literalString(call, "url");
        if (url.isEmpty()) return Inference.fail(call.label() + " needs a literal string :url to infer its network effect");
        Hosts.UrlParse parsed = Hosts.parseUrl(url.get());
        if (parsed.target().isEmpty()) return Inference.fail(parsed.problem());
        Hosts.UrlTarget t = parsed.target().get();
        int port = t.explicitPort().orElse(t.scheme().equals("https") ? 443 : 80);
        return Inference.of(new NetworkEffect(
                ParamSet.of(List.of(t.host()), Covering.DOMAINS),
                ParamSet.of(List.of(method), Covering.equality()),
                ParamSet.of(List.of(port), Covering.equality())));
    }

    private static Inference fs(CallSite call, FsMode mode) {
        Optional<String> path = literalString(call, "path");
        if (path.isEmpty() || path.get().isEmpty()) {
            return Inference.fail(call.label() + " needs a literal string :path to infer its fs effect");
        }
        return Inference.of(new FsEffect(ParamSet.of(List.of(Paths.normalize(path.get())), Covering.PATHS),
                ParamSet.of(List.of(mode), Covering.equality())));
    }

    private static Inference llm(CallSite call) {
        Optional<String> model = literalString(call, "model");
        return Inference.of(new LlmEffect(model.isPresent()
                ? ParamSet.of(List.of(model.get()), Covering.equality()) : ParamSet.any()));
    }

    private static Optional<String> literalString(CallSite call, String key) {
        if (call.args().isEmpty() || !(call.args().get() instanceof MapValue args)) return Optional.empty();
        Value v = args.get(key);
        return v instanceof StringValue s ? Optional.of(s.value()) : Optional.empty();
    }
}
