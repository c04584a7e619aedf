package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.devices.vsock {:enabled true :cid 3}}. */
public record Vsock(Optional<Located<Boolean>> enabled, Optional<Located<Long>> cid, Span keySpan, Span span)
        implements Section {}
