/**
 * The typed agent.config (schema: {@code AgentConfigSchema}): {@link dev.rtfs.microvm.agentconfig.model.AgentConfig} and one immutable record per
 * section. Absent = {@code Optional.empty()}, never a default; present values are
 * {@link dev.rtfs.microvm.agentconfig.model.Located} with the value's and the key's spans (macro call sites in
 * {@code span().via()}). Every section implements {@link dev.rtfs.microvm.agentconfig.model.Section}
 * ({@code keySpan()}, {@code span()}).
 */
package dev.rtfs.microvm.agentconfig.model;
