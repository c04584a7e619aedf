/**
 * agent.config: typed model, schema + MicroVM policy validation, diagnostics and their renderers.
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@link dev.rtfs.microvm.agentconfig.ConfigLoader#load(java.util.List, dev.rtfs.microvm.rtfslang.SourceFile)}:
 *       read + evaluate ({@code --load} files first) + validate one file →
 *       {@link dev.rtfs.microvm.agentconfig.ConfigCheckResult} {@code (file, Optional<AgentConfig> config,
 *       List<Diagnostic> diagnostics, Map<String,SourceFile> sources)}. Never throws for bad input; syntax and
 *       evaluation errors are {@code RTFS_SYNTAX}/{@code RTFS_EVAL} diagnostics. {@code valid()} = no errors.</li>
 *   <li>{@link dev.rtfs.microvm.agentconfig.AgentConfigValidator#validate(dev.rtfs.microvm.rtfslang.Value)}: the same on an
 *       already evaluated value ({@code TaggedValue("agent.config", ...)} or a bare map) →
 *       {@link dev.rtfs.microvm.agentconfig.ValidationResult}.</li>
 *   <li>Model ({@code dev.rtfs.microvm.agentconfig.model}): {@link dev.rtfs.microvm.agentconfig.model.AgentConfig} and one
 *       record per section of the schema. Absent fields are {@code Optional.empty()}, never defaulted; present
 *       fields are {@link dev.rtfs.microvm.agentconfig.model.Located}{@code (value, span)} (span.via() = macro call
 *       sites). {@code AgentConfig} has flattened accessors for consumers: {@code kernelImage() kernelCmdline()
 *       rootfsImage() rootfsReadOnly() vcpus() memMb() nicEnabled() nicProxyNs() vsockEnabled() vsockCid()
 *       attestationEnabled() expectRootfsHash() capabilitiesMountMode() agentIdValue() networkEnabled()
 *       egressVia() egressAllowDomains() egressMtls() egressTlsPins() egressTlsMode() egressTlsPassthrough()
 *       egressTlsPassthroughWaiver() egressUpstreamCa() egressClientCerts() egressCredentials() isolationMode()
 *       fsEphemeral() dlpEnabled()
 *       dlpPolicy() httpEnabled() httpEgressAllowDomains() llmEnabled() gpuEnabled() fsCapabilityEnabled()}.
 *       A field written with the wrong type is absent in the model and reported as {@code CONFIG_TYPE}.</li>
 *   <li>Diagnostics ({@code dev.rtfs.microvm.agentconfig.diag}): the shared {@code Diagnostic} record
 *       ({@code Diagnostic.ORDER} = file, line, column, code) and {@code Severity}. A code is a {@code DiagnosticCode}:
 *       one enum per module, each its own namespace ({@code RtfsCode} "rtfs", {@code ConfigCode} "config" for every
 *       code this module emits, vmm's {@code SynthCode} "synth", orchestrator's {@code AdmissionCode} "admission");
 *       renderers print the code's name, unique across namespaces.</li>
 *   <li>{@link dev.rtfs.microvm.agentconfig.ValidatedConfig}: a config validation found no error in, made only by
 *       validation ({@code ValidationResult.validated()}, {@code ConfigCheckResult.validated()}); spec synthesis takes
 *       only this type, so the MicroVM limits (vCPUs, memory, vsock CID, read-only root and capabilities mount) are
 *       checked here and nowhere else.</li>
 *   <li>Reports ({@code dev.rtfs.microvm.agentconfig.report}), shared by every command:
 *       {@code FileReport.of(String file, List<Diagnostic>, Map<String,SourceFile> sources, boolean warningsAsErrors)}
 *       or {@code FileReport.of(ConfigCheckResult, boolean warningsAsErrors)}; {@code CheckReport(List<FileReport>)}
 *       with {@code valid()}; {@code ReportFormat.TEXT|JSON|SARIF.render(CheckReport, boolean colour)}. Text is
 *       rustc-style ({@code error[CODE]: message}, snippet, {@code = path:}, {@code = help:}, {@code = note: via}),
 *       JSON follows {@code /dev/rtfs/microvm/agentconfig/check-report.schema.json} (a classpath resource), SARIF is 2.1.0.
 *       {@code JsonRenderer.tree(CheckReport)} gives the JSON tree for embedding.</li>
 * </ul>
 *
 * <p>Rules worth knowing: {@code _}/{@code -} spellings are interchangeable ({@code CONFIG_KEY_ALIAS} warning, both in
 * one map {@code CONFIG_DUPLICATE_KEY}); a field with the wrong type is reported once ({@code CONFIG_TYPE}) and not
 * again as "missing" by the policy rules; "missing" problems point at the key of the nearest enclosing section
 * written; diagnostic paths use the spelling the user wrote. Attestation: a missing or placeholder
 * ({@code sha256:...}) hash is only {@code MICROVM_ATTESTATION_HASH_DEFERRED} at check time; deploy must resolve it.
 */
package dev.rtfs.microvm.agentconfig;
