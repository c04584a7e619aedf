package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** One entry of {@code :orchestrator.isolation.fs.mounts}: {@code {:mode :ro}}. */
public record Mount(String name, Optional<Located<MountMode>> mode, Span keySpan, Span span) implements Section {}
