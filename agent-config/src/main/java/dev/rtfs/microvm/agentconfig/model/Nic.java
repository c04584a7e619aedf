package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.devices.nic {:enabled true :proxy_ns "egress-proxy-ns"}}. */
public record Nic(Optional<Located<Boolean>> enabled, Optional<Located<String>> proxyNs, Span keySpan, Span span)
        implements Section {}
