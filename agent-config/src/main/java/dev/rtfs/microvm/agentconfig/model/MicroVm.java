package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm {:kernel :rootfs :resources :devices :attestation}}. */
public record MicroVm(
        Optional<Kernel> kernel,
        Optional<Rootfs> rootfs,
        Optional<Resources> resources,
        Optional<Devices> devices,
        Optional<Attestation> attestation,
        Span keySpan,
        Span span) implements Section {}
