package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.devices {:nic {...} :vsock {...}}}. */
public record Devices(Optional<Nic> nic, Optional<Vsock> vsock, Span keySpan, Span span) implements Section {}
