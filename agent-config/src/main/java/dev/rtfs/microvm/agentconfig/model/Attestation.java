package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/**
 * {@code :microvm.attestation {:enabled true :expect_rootfs_hash "sha256:<64 hex>"}}. A missing or placeholder
 * hash is only deferred at check time; deploy must resolve it.
 */
public record Attestation(
        Optional<Located<Boolean>> enabled, Optional<Located<String>> expectRootfsHash, Span keySpan, Span span)
        implements Section {}
