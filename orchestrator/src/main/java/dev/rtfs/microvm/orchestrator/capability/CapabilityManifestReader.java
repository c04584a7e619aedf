package dev.rtfs.microvm.orchestrator.capability;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.orchestrator.plan.DeclaredEffect;
import dev.rtfs.microvm.orchestrator.plan.EffectSyntax;
import dev.rtfs.microvm.rtfslang.KeywordValue;
import dev.rtfs.microvm.rtfslang.ListValue;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.RtfsReader;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.SymbolValue;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one {@code capability.rtfs} as data (never evaluated): {@code (capability :ID :effects [...] :entry "PATH")},
 * all three keys required, nothing else. Every problem is a diagnostic at its position; the file system is not
 * looked at here ({@link CapabilityPackages} checks the entry file).
 */
public final class CapabilityManifestReader {

    /**
     * What an id may be: a keyword name the guest can use as a directory and the agent can match without quoting
     * (lowercase letters, digits, '.', '_' and '-'; starting with a letter; at most 64 characters).
     */
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

    /** What an entry may be: a relative path of plain names (no "..", ".", empty or absolute components). */
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

    private static final List<String> KEYS = List.of("effects", "entry");

    private CapabilityManifestReader() {}

    /** One manifest read. Present only when there were no errors. */
    public record Reading(Optional<CapabilityManifest> manifest, List<Diagnostic> diagnostics) {
        public Reading {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    public static Reading read(SourceFile file) {
        List<Value> forms;
        try {
            forms = RtfsReader.readAll(file);
        } catch (RtfsException e) {
            return new Reading(Optional.empty(), List.of(Diagnostic.error(RtfsCode.of(e), "capability", e.getMessage(),
                    "", e.span())));
        }
        List<Diagnostic> out = new ArrayList<>();
        Span fileSpan = new Span(file.name(), 0, 1, 1, 0);
        if (forms.size() != 1) {
            out.add(problem("capability", "a capability.rtfs holds exactly one (capability …) form, found " + forms.size(),
                    forms.size() > 1 ? forms.get(1).span() : fileSpan));
            return new Reading(Optional.empty(), out);
        }
        Optional<CapabilityManifest> m = manifest(forms.getFirst(), out);
        return new Reading(out.stream().anyMatch(Diagnostic::isError) ? Optional.empty() : m, out);
    }

    private static Optional<CapabilityManifest> manifest(Value form, List<Diagnostic> out) {
        if (!(form instanceof ListValue list) || list.items().isEmpty()
                || !(list.items().getFirst() instanceof SymbolValue head) || !head.name().equals("capability")) {
            out.add(problem("capability", "expected (capability :ID :effects [...] :entry \"PATH\"), got a "
                    + form.typeName(), form.span()));
            return Optional.empty();
        }
        List<Value> items = list.items();
        if (items.size() < 2 || !(items.get(1) instanceof KeywordValue idKw)) {
            out.add(problem("capability.id", "the capability's id comes first, as a keyword: (capability :text.wordcount …)",
                    items.size() < 2 ? form.span() : items.get(1).span()));
            return Optional.empty();
        }
        String id = idKw.name();
        if (!ID.matcher(id).matches()) {
            out.add(problem("capability.id", "capability id :" + id + " must be a lowercase name of letters, digits, "
                    + "'.', '_' and '-' starting with a letter, at most 64 characters", idKw.span()));
        }
        if (CapabilityCatalog.BUILT_IN.contains(id)) {
            out.add(Diagnostic.error(AdmissionCode.CAPABILITY_SHADOWS_BUILTIN, "capability.id",
                    "capability id :" + id + " is a built-in capability's; the agent would never run this package",
                    "choose another id, e.g. :my." + id, idKw.span()));
        }
        Map<String, Value> values = new LinkedHashMap<>();
        for (int i = 2; i < items.size(); i += 2) {
            Value key = items.get(i);
            if (!(key instanceof KeywordValue k) || !KEYS.contains(k.name())) {
                out.add(problem("capability", "unknown manifest key " + (key instanceof KeywordValue k2 ? ":" + k2.name()
                        : key.typeName()) + "; a manifest has :effects and :entry", key.span()));
                continue;
            }
            if (i + 1 >= items.size()) {
                out.add(problem("capability." + k.name(), ":" + k.name() + " has no value", k.span()));
                continue;
            }
            if (values.putIfAbsent(k.name(), items.get(i + 1)) != null) {
                out.add(problem("capability." + k.name(), ":" + k.name() + " is written twice", k.span()));
            }
        }
        for (String key : KEYS) {
            if (!values.containsKey(key)) {
                out.add(problem("capability." + key, "the manifest has no :" + key, form.span()));
            }
        }
        if (!values.containsKey("effects") || !values.containsKey("entry")) return Optional.empty();
        List<Effect> effects = EffectSyntax.parseRow(values.get("effects"), "capability.effects", out).stream()
                .map(DeclaredEffect::effect).toList();
        Value entryValue = values.get("entry");
        if (!(entryValue instanceof StringValue entry)) {
            out.add(problem("capability.entry", ":entry is the executable's path inside the package, a string; got a "
                    + entryValue.typeName(), entryValue.span()));
            return Optional.empty();
        }
        if (!ENTRY.matcher(entry.value()).matches() || entry.value().length() > 255) {
            out.add(Diagnostic.error(AdmissionCode.CAPABILITY_ENTRY, "capability.entry",
                    ":entry \"" + entry.value() + "\" must be a relative path inside the package (plain names, no '..', "
                            + "no leading '/')", "e.g. :entry \"run\"", entry.span()));
        }
        return Optional.of(new CapabilityManifest(id, effects, entry.value(), form.span(), entry.span()));
    }

    private static Diagnostic problem(String path, String message, Span span) {
        return Diagnostic.error(AdmissionCode.CAPABILITY_MANIFEST, path, message,
                "write (capability :text.wordcount :effects [] :entry \"run\")", span);
    }
}
