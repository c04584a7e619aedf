package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** One entry of {@code :orchestrator.isolation.fs.mounts}: {@code {:mode :ro}}. */
public record Mount(String name, Optional<Located<MountMode>> mode, Span keySpan, Span span) implements Section {}
