package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :capabilities.http {:enabled true :egress {:allow-domains [...] :mtls bool}}}. */
public record HttpCapability(Optional<Located<Boolean>> enabled, Optional<HttpEgress> egress, Span keySpan, Span span)
        implements Section {}
