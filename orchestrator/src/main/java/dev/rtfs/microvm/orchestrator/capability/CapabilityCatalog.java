package dev.rtfs.microvm.orchestrator.capability;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.orchestrator.plan.DeclaredEffect;
import dev.rtfs.microvm.orchestrator.plan.EffectSyntax;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.RtfsReader;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The capabilities a plan may call. {@link #OPEN} when no image is given (today's admission: a call to a
 * capability without a contract is covered by its step's declaration); {@link #closed} against an image: a call
 * must name a built-in or one of the image's user capabilities, whose manifest effects are the call's effects.
 *
 * @param closed whether calls to other capabilities are refused
 * @param user   the user capabilities by id, with their manifest effects
 */
public record CapabilityCatalog(boolean closed, Map<String, List<Effect>> user) {

    /**
     * The capabilities the guest agent answers itself and the host knows a contract for; a package may not take
     * one of these ids.
     */
    public static final Set<String> BUILT_IN = Set.of("echo", "text.echo", "fs.read", "fs.write", "fs.append",
            "http.get", "http.post", "random.int", "clock.now", "llm.complete");

    public static final CapabilityCatalog OPEN = new CapabilityCatalog(false, Map.of());

    public CapabilityCatalog {
        TreeMap<String, List<Effect>> copy = new TreeMap<>();
        user.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        user = java.util.Collections.unmodifiableMap(copy);
    }

    public static CapabilityCatalog closed(Map<String, List<Effect>> user) {
        return new CapabilityCatalog(true, user);
    }

    /** The catalog of packages read from a directory. */
    public static CapabilityCatalog of(List<CapabilityPackage> packages) {
        Map<String, List<Effect>> user = new TreeMap<>();
        for (CapabilityPackage p : packages) user.put(p.manifest().id(), p.manifest().effects());
        return closed(user);
    }

    /**
     * The catalog an image records: each id with its effects written as RTFS (what {@link #effectsText} gives);
     * {@code source} names the record for messages. Problems are added to {@code out} (a lock that does not read is
     * refused, never taken as "no capabilities").
     */
    public static CapabilityCatalog fromRecorded(Map<String, String> effectsById, String source, List<Diagnostic> out) {
        Map<String, List<Effect>> user = new TreeMap<>();
        effectsById.forEach((id, text) -> {
            List<Diagnostic> problems = new ArrayList<>();
            try {
                Value row = RtfsReader.readOne(source + " capability " + id, text);
                List<Effect> effects = EffectSyntax.parseRow(row, "capability.effects", problems).stream()
                        .map(DeclaredEffect::effect).toList();
                if (problems.isEmpty()) user.put(id, effects);
            } catch (RtfsException e) {
                problems.add(Diagnostic.error(AdmissionCode.CAPABILITY_MANIFEST, "capability.effects",
                        "the recorded effects of :" + id + " do not read: " + e.getMessage(), "rebuild the image",
                        new Span(source, 0, 1, 1, 0)));
            }
            if (!CapabilityManifestReader.ID.matcher(id).matches() || BUILT_IN.contains(id)) {
                problems.add(Diagnostic.error(AdmissionCode.CAPABILITY_MANIFEST, "capability.id",
                        source + " records an invalid capability id " + id, "rebuild the image",
                        new Span(source, 0, 1, 1, 0)));
            }
            out.addAll(problems);
        });
        return closed(user);
    }

    /** A manifest's effects as one RTFS vector, as image.lock records them. */
    public static String effectsText(List<Effect> effects) {
        return "[" + String.join(" ", effects.stream().map(dev.rtfs.microvm.orchestrator.effect.EffectText::of).toList()) + "]";
    }

    /** The manifest effects of a user capability. */
    public Optional<List<Effect>> userEffects(String id) {
        return Optional.ofNullable(user.get(id));
    }

    /** Whether a call to {@code id} is refused at admission: a closed catalog knows neither a built-in nor a package by it. */
    public boolean unknown(String id) {
        return closed && !BUILT_IN.contains(id) && !user.containsKey(id);
    }
}
