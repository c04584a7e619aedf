package dev.rtfs.microvm.orchestrator.capability;

import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Objects;

/**
 * A read manifest: {@code (capability :text.wordcount :effects [] :entry "run")}.
 *
 * @param id        the capability's name, as plans call it ({@code (call :text.wordcount …)})
 * @param effects   what one call may do, in the plan effect syntax
 * @param entry     the executable, relative to the package directory
 * @param entrySpan where {@code :entry} is written (problems with the file are reported there)
 */
public record CapabilityManifest(String id, List<Effect> effects, String entry, Span span, Span entrySpan) {

    public CapabilityManifest {
        Objects.requireNonNull(id);
        effects = List.copyOf(effects);
        Objects.requireNonNull(entry);
        Objects.requireNonNull(span);
        Objects.requireNonNull(entrySpan);
    }
}
