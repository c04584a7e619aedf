package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Optional;

/**
 * The typed agent.config ({@code AgentConfigSchema}), exactly as written: every absent field is {@link Optional#empty()}
 * (never defaulted), every present field keeps its {@link Located#span()}. Built by
 * {@code dev.rtfs.microvm.agentconfig.ConfigLoader} / {@code AgentConfigValidator}; a field whose value had the wrong
 * type is absent here and reported as a diagnostic instead, so consumers must check the diagnostics
 * ({@code ConfigCheckResult.valid()}) before trusting a config.
 *
 * <p>The convenience accessors below flatten the common paths for consumers (vmm, orchestrator): each returns
 * the plain value or empty when any part of the path is absent.
 */
public record AgentConfig(
        Optional<Located<String>> version,
        Optional<Located<String>> agentId,
        Optional<Located<String>> profile,
        Optional<Located<List<Located<String>>>> features,
        Optional<Orchestrator> orchestrator,
        Optional<Network> network,
        Optional<MicroVm> microvm,
        Optional<Capabilities> capabilities,
        Optional<Governance> governance,
        Optional<CausalChain> causalChain,
        Optional<Marketplace> marketplace,
        Span keySpan,
        Span span) implements Section {

    public AgentConfig {
        features = Lists.copy(features);
    }

    // ---- identity

    public Optional<String> agentIdValue() { return agentId.map(Located::value); }

    public Optional<String> versionValue() { return version.map(Located::value); }

    // ---- orchestrator

    public Optional<Isolation> isolation() { return orchestrator.flatMap(Orchestrator::isolation); }

    public Optional<IsolationMode> isolationMode() { return isolation().flatMap(Isolation::mode).map(Located::value); }

    public Optional<FsIsolation> fsIsolation() { return isolation().flatMap(Isolation::fs); }

    public Optional<Boolean> fsEphemeral() { return fsIsolation().flatMap(FsIsolation::ephemeral).map(Located::value); }

    /** {@code :orchestrator.isolation.fs.mounts.capabilities.mode}. */
    public Optional<MountMode> capabilitiesMountMode() {
        return fsIsolation().flatMap(fs -> fs.mount(FsIsolation.CAPABILITIES_MOUNT)).flatMap(Mount::mode).map(Located::value);
    }

    public Optional<Dlp> dlp() { return orchestrator.flatMap(Orchestrator::dlp); }

    public Optional<Boolean> dlpEnabled() { return dlp().flatMap(Dlp::enabled).map(Located::value); }

    public Optional<DlpPolicy> dlpPolicy() { return dlp().flatMap(Dlp::policy).map(Located::value); }

    // ---- network

    public Optional<Boolean> networkEnabled() { return network.flatMap(Network::enabled).map(Located::value); }

    public Optional<Egress> egress() { return network.flatMap(Network::egress); }

    public Optional<EgressVia> egressVia() { return egress().flatMap(Egress::via).map(Located::value); }

    /** {@code :network.egress.allow-domains} as written (order kept). */
    public Optional<List<String>> egressAllowDomains() { return egress().flatMap(e -> Lists.values(e.allowDomains())); }

    public Optional<Boolean> egressMtls() { return egress().flatMap(Egress::mtls).map(Located::value); }

    public Optional<List<String>> egressTlsPins() { return egress().flatMap(e -> Lists.values(e.tlsPins())); }

    /** {@code :network.egress.tls}; tunnel when not written. */
    public EgressTlsMode egressTlsMode() { return egress().map(Egress::tlsMode).orElse(EgressTlsMode.TUNNEL); }

    public Optional<List<String>> egressTlsPassthrough() { return egress().flatMap(e -> Lists.values(e.tlsPassthrough())); }

    public Optional<List<String>> egressTlsPassthroughWaiver() {
        return egress().flatMap(e -> Lists.values(e.tlsPassthroughWaiver()));
    }

    public Optional<String> egressUpstreamCa() { return egress().flatMap(Egress::upstreamCa).map(Located::value); }

    /** {@code :network.egress.client_cert}, one entry per domain as written (empty when absent). */
    public List<ClientCertFiles> egressClientCerts() {
        return egress().flatMap(Egress::clientCerts).map(Located::value).orElse(List.of());
    }

    /** {@code :network.egress.credentials}, references only, in the order written (empty when absent). */
    public List<CredentialRef> egressCredentials() {
        return egress().flatMap(Egress::credentials).map(Located::value).orElse(List.of());
    }

    // ---- microvm

    public Optional<Kernel> kernel() { return microvm.flatMap(MicroVm::kernel); }

    public Optional<String> kernelImage() { return kernel().flatMap(Kernel::image).map(Located::value); }

    public Optional<String> kernelCmdline() { return kernel().flatMap(Kernel::cmdline).map(Located::value); }

    public Optional<Rootfs> rootfs() { return microvm.flatMap(MicroVm::rootfs); }

    public Optional<String> rootfsImage() { return rootfs().flatMap(Rootfs::image).map(Located::value); }

    public Optional<Boolean> rootfsReadOnly() { return rootfs().flatMap(Rootfs::ro).map(Located::value); }

    public Optional<Resources> resources() { return microvm.flatMap(MicroVm::resources); }

    public Optional<Long> vcpus() { return resources().flatMap(Resources::vcpus).map(Located::value); }

    public Optional<Long> memMb() { return resources().flatMap(Resources::memMb).map(Located::value); }

    public Optional<Devices> devices() { return microvm.flatMap(MicroVm::devices); }

    public Optional<Nic> nic() { return devices().flatMap(Devices::nic); }

    public Optional<Boolean> nicEnabled() { return nic().flatMap(Nic::enabled).map(Located::value); }

    public Optional<String> nicProxyNs() { return nic().flatMap(Nic::proxyNs).map(Located::value); }

    public Optional<Vsock> vsock() { return devices().flatMap(Devices::vsock); }

    public Optional<Boolean> vsockEnabled() { return vsock().flatMap(Vsock::enabled).map(Located::value); }

    public Optional<Long> vsockCid() { return vsock().flatMap(Vsock::cid).map(Located::value); }

    public Optional<Attestation> attestation() { return microvm.flatMap(MicroVm::attestation); }

    public Optional<Boolean> attestationEnabled() { return attestation().flatMap(Attestation::enabled).map(Located::value); }

    public Optional<String> expectRootfsHash() {
        return attestation().flatMap(Attestation::expectRootfsHash).map(Located::value);
    }

    // ---- capabilities

    public Optional<HttpCapability> httpCapability() { return capabilities.flatMap(Capabilities::http); }

    public Optional<Boolean> httpEnabled() { return httpCapability().flatMap(HttpCapability::enabled).map(Located::value); }

    public Optional<List<String>> httpEgressAllowDomains() {
        return httpCapability().flatMap(HttpCapability::egress).flatMap(e -> Lists.values(e.allowDomains()));
    }

    public Optional<Boolean> fsCapabilityEnabled() { return capabilities.flatMap(Capabilities::fs).flatMap(Toggle::enabled).map(Located::value); }

    public Optional<Boolean> llmEnabled() { return capabilities.flatMap(Capabilities::llm).flatMap(Toggle::enabled).map(Located::value); }

    public Optional<Boolean> gpuEnabled() { return capabilities.flatMap(Capabilities::gpu).flatMap(Toggle::enabled).map(Located::value); }
}
