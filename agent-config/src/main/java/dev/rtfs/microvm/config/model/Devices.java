package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** {@code :microvm.devices {:nic {...} :vsock {...}}}. */
public record Devices(Optional<Nic> nic, Optional<Vsock> vsock, Span keySpan, Span span) implements Section {}
