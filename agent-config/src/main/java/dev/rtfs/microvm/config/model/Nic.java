package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** {@code :microvm.devices.nic {:enabled true :proxy_ns "egress-proxy-ns"}}. */
public record Nic(Optional<Located<Boolean>> enabled, Optional<Located<String>> proxyNs, Span keySpan, Span span)
        implements Section {}
