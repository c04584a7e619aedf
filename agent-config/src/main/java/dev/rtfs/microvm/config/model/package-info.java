/**
 * The typed agent.config (schema: {@code AgentConfigSchema}): {@link dev.rtfs.microvm.config.model.AgentConfig} and one immutable record per
 * section. Absent = {@code Optional.empty()}, never a default; present values are
 * {@link dev.rtfs.microvm.config.model.Located} with the value's and the key's spans (macro call sites in
 * {@code span().via()}). Every section implements {@link dev.rtfs.microvm.config.model.Section}
 * ({@code keySpan()}, {@code span()}).
 */
package dev.rtfs.microvm.config.model;
