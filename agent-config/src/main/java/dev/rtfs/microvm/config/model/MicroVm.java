package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
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
