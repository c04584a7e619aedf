/**
 * agent.config: typed model, schema + MicroVM policy validation, diagnostics and their renderers.
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.rtfs.microvm.config.ConfigLoader#load(java.util.List, dev.rtfs.microvm.lang.SourceFile)}:
 *       read + evaluate ({@code --load} files first) + validate one file →
 *       {@link dev.rtfs.microvm.config.ConfigCheckResult} {@code (file, Optional<AgentConfig> config,
 *       List<Diagnostic> diagnostics, Map<String,SourceFile> sources)}. Never throws for bad input; syntax and
 *       evaluation errors are {@code RTFS_SYNTAX}/{@code RTFS_EVAL} diagnostics. {@code valid()} = no errors.</li>
 *   <li>{@link dev.rtfs.microvm.config.AgentConfigValidator#validate(dev.rtfs.microvm.lang.Value)}: the same on an
 *       already evaluated value ({@code TaggedValue("agent.config", ...)} or a bare map) →
 *       {@link dev.rtfs.microvm.config.ValidationResult}.</li>
 *   <li>Model ({@code dev.rtfs.microvm.config.model}): {@link dev.rtfs.microvm.config.model.AgentConfig} and one
 *       record per section of DESIGN §4. Absent fields are {@code Optional.empty()}, never defaulted; present
 *       fields are {@link dev.rtfs.microvm.config.model.Located}{@code (value, span)} (span.via() = macro call
 *       sites). {@code AgentConfig} has flattened accessors for consumers: {@code kernelImage() kernelCmdline()
 *       rootfsImage() rootfsReadOnly() vcpus() memMb() nicEnabled() nicProxyNs() vsockEnabled() vsockCid()
 *       attestationEnabled() expectRootfsHash() capabilitiesMountMode() agentIdValue() networkEnabled()
 *       egressVia() egressAllowDomains() egressMtls() egressTlsPins() isolationMode() fsEphemeral() dlpEnabled()
 *       dlpPolicy() httpEnabled() httpEgressAllowDomains() llmEnabled() gpuEnabled() fsCapabilityEnabled()}.
 *       A field written with the wrong type is absent in the model and reported as {@code CONFIG_TYPE}.</li>
 *   <li>Diagnostics ({@code dev.rtfs.microvm.config.diag}): the shared {@code Diagnostic} record, and the report
 *       type and renderers (text / JSON / SARIF) that every command uses.</li>
 * </ul>
 */
package dev.rtfs.microvm.config;
