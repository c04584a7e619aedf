package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.Severity;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.DlpPolicy;
import dev.rtfs.microvm.agentconfig.model.EgressVia;
import dev.rtfs.microvm.agentconfig.model.IsolationMode;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The docs example config and the profile macros (issue 3 deliverables 3 and 4). */
class ExampleAndMacrosTest {

    @Test
    void exampleIsValidWithExactlyTheTwoPlaceholderWarnings() {
        SourceFile example = Fixtures.doc(Fixtures.EXAMPLE);
        ConfigCheckResult r = ConfigLoader.load(List.of(), example);
        assertThat(r.valid()).isTrue();
        String pin = ":tls_pins [";   // the pin literal follows
        String hash = ":expect_rootfs_hash ";
        assertThat(r.diagnostics())
                .extracting(Diagnostic::severity, d -> d.code().name(), Diagnostic::path, d -> d.span().line(), d -> d.span().column())
                .containsExactly(
                        tuple(Severity.WARNING, "EGRESS_TLS_PIN_PLACEHOLDER", "network.egress.tls_pins",
                                lineOf(example, pin), columnOf(example, pin) + pin.length()),
                        tuple(Severity.WARNING, "MICROVM_ATTESTATION_HASH_DEFERRED", "microvm.attestation.expect_rootfs_hash",
                                lineOf(example, hash), columnOf(example, hash) + hash.length()));
    }

    @Test
    void theTlsExampleIsValidWithItsThreeDocumentedWarningsAndEveryTlsField() {
        ConfigCheckResult r = ConfigLoader.load(List.of(), Fixtures.doc("docs/examples/agent.config.tls.rtfs"));
        assertThat(r.valid()).isTrue();
        assertThat(r.diagnostics()).extracting(d -> d.code().name()).containsExactly(
                "EGRESS_PASSTHROUGH_DLP_BLIND", "EGRESS_TLS_PIN_PLACEHOLDER", "MICROVM_ATTESTATION_HASH_DEFERRED");
        AgentConfig c = r.config().orElseThrow();
        assertThat(c.egressTlsMode()).isEqualTo(dev.rtfs.microvm.agentconfig.model.EgressTlsMode.INTERCEPT);
        assertThat(c.egressTlsPassthrough()).contains(List.of("pinned.example.com"));
        assertThat(c.egressTlsPassthroughWaiver()).contains(List.of("pinned.example.com"));
        assertThat(c.egressUpstreamCa()).contains("/etc/rtfs/tls/upstream-ca.pem");
        assertThat(c.egressClientCerts()).extracting(cc -> cc.domain().value()).containsExactly("api.example.com");
        assertThat(c.egressCredentials()).extracting(cr -> cr.header().orElseThrow().value())
                .containsExactly("Authorization", "X-Api-Key");
        String text = Fixtures.doc("docs/examples/agent.config.tls.rtfs").text();
        for (dev.rtfs.microvm.agentconfig.diag.ConfigCode code : dev.rtfs.microvm.agentconfig.diag.ConfigCode.values()) {
            if (code.name().startsWith("EGRESS_") && !code.name().equals("EGRESS_DOMAIN_INVALID")
                    && !code.name().equals("EGRESS_TLS_PIN_PLACEHOLDER")) {
                assertThat(text).as("the TLS example names %s", code).contains(code.name());
            }
        }
    }

    @Test
    void exampleHasExactlyTheSeedsFields() {
        AgentConfig c = ConfigLoader.load(List.of(), Fixtures.doc(Fixtures.EXAMPLE)).config().orElseThrow();
        assertThat(c.isolationMode()).contains(IsolationMode.MICROVM);
        assertThat(c.fsEphemeral()).contains(true);
        assertThat(c.capabilitiesMountMode()).contains(MountMode.RO);
        assertThat(c.dlpEnabled()).contains(true);
        assertThat(c.dlpPolicy()).contains(DlpPolicy.STRICT);
        assertThat(c.networkEnabled()).contains(true);
        assertThat(c.egressVia()).contains(EgressVia.PROXY);
        assertThat(c.egressAllowDomains()).contains(List.of("example.com"));
        // The seed's :mtls true gave way to interception: the demo's strict DLP must see inside HTTPS.
        assertThat(c.egressMtls()).isEmpty();
        assertThat(c.egressTlsMode()).isEqualTo(dev.rtfs.microvm.agentconfig.model.EgressTlsMode.INTERCEPT);
        assertThat(c.egressTlsPins()).contains(List.of("sha256/..."));
        assertThat(c.kernelImage()).contains("kernels/vmlinuz-min");
        assertThat(c.kernelCmdline()).contains("console=none");
        assertThat(c.rootfsImage()).contains("images/agent-rootfs.img");
        assertThat(c.rootfsReadOnly()).contains(true);
        assertThat(c.vcpus()).contains(1L);
        assertThat(c.memMb()).contains(256L);
        assertThat(c.nicEnabled()).contains(true);
        assertThat(c.nicProxyNs()).contains("egress-proxy-ns");
        assertThat(c.vsockEnabled()).contains(true);
        assertThat(c.vsockCid()).contains(3L);
        assertThat(c.attestationEnabled()).contains(true);
        assertThat(c.expectRootfsHash()).contains("sha256:...");
        // Nothing beyond the seed's fields plus the two required identity fields.
        assertThat(c.capabilities()).isEmpty();
        assertThat(c.governance()).isEmpty();
        assertThat(c.causalChain()).isEmpty();
        assertThat(c.marketplace()).isEmpty();
        assertThat(c.profile()).isEmpty();
        assertThat(c.features()).isEmpty();
    }

    @Test
    void exampleCommentsNameTheSpecSectionsAndCodes() {
        String text = Fixtures.doc(Fixtures.EXAMPLE).text();
        assertThat(text).contains("Networking", "Control plane", "Attestation", "Filesystem",
                "MICROVM_ISOLATION_MODE", "MICROVM_FS_EPHEMERAL", "MICROVM_CAPS_MOUNT_RO", "MICROVM_ROOTFS_RW",
                "MICROVM_VCPUS", "MICROVM_MEM", "MICROVM_VSOCK_CID", "MICROVM_NIC_EGRESS", "MICROVM_EGRESS_ALLOWLIST",
                "EGRESS_TLS_PIN_FORMAT", "MICROVM_ATTESTATION_HASH_DEFERRED", "DLP_NOT_STRICT");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "(profile:minimal \"agent.min\")",
            "(profile:microvm-min \"agent.airgapped\")",
            "(profile:microvm-networked \"agent.net\" [\"example.com\" \"*.example.org\"])"})
    void eachMacroExpandsToAValidConfig(String call) {
        ConfigCheckResult r = Fixtures.checkWithMacros(call);
        assertThat(r.diagnostics()).allMatch(d -> !d.isError(), "no errors");
        assertThat(r.valid()).isTrue();
        // Only the deferred-attestation placeholder may warn.
        assertThat(Fixtures.codes(r)).allMatch(c -> c.equals(ConfigCode.MICROVM_ATTESTATION_HASH_DEFERRED.name()));
    }

    @Test
    void microvmMinIsAirGappedWithVsockOnly() {
        AgentConfig c = Fixtures.checkWithMacros("(profile:microvm-min \"agent.a\")").config().orElseThrow();
        assertThat(c.agentIdValue()).contains("agent.a");
        assertThat(c.isolationMode()).contains(IsolationMode.MICROVM);
        assertThat(c.nicEnabled()).contains(false);
        assertThat(c.networkEnabled()).contains(false);
        assertThat(c.vsockEnabled()).contains(true);
        assertThat(c.vsockCid()).contains(3L);
    }

    @Test
    void microvmNetworkedRoutesEgressThroughTheProxy() {
        AgentConfig c = Fixtures.checkWithMacros("(profile:microvm-networked \"agent.b\" [\"api.example.com\"])")
                .config().orElseThrow();
        assertThat(c.nicEnabled()).contains(true);
        assertThat(c.nicProxyNs()).contains("egress-proxy-ns");
        assertThat(c.networkEnabled()).contains(true);
        assertThat(c.egressVia()).contains(EgressVia.PROXY);
        assertThat(c.egressAllowDomains()).contains(List.of("api.example.com"));
        assertThat(c.vsockCid()).contains(3L);
    }

    @Test
    void emptyDomainListPointsIntoTheMacroFileWithTheCallSiteAsVia() {
        String call = ";; my agent\n\n(profile:microvm-networked \"agent.c\" [])\n";
        ConfigCheckResult r = Fixtures.checkWithMacros(call);
        assertThat(r.valid()).isFalse();
        List<Diagnostic> errors = r.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertThat(errors).hasSize(1);
        Diagnostic d = errors.getFirst();
        assertThat(d.code()).isEqualTo(ConfigCode.MICROVM_EGRESS_ALLOWLIST);
        assertThat(d.path()).isEqualTo("network.egress.allow-domains");
        SourceFile macros = Fixtures.doc(Fixtures.MACROS);
        // The :allow-domains key the macro writes with assoc-in.
        String written = "(assoc-in [:network :egress :allow-domains] allowed-domains)";
        assertThat(d.span().source()).isEqualTo(Fixtures.MACROS);
        assertThat(d.span().line()).isEqualTo(lineOf(macros, written));
        assertThat(d.span().column()).isEqualTo(columnOf(macros, written) + written.indexOf(":allow-domains"));
        assertThat(d.via()).hasSize(1);
        assertThat(d.via().getFirst().source()).isEqualTo("call.rtfs");
        assertThat(d.via().getFirst().line()).isEqualTo(3);
        assertThat(d.via().getFirst().column()).isEqualTo(1);
    }

    @Test
    void theMacrosFileEndsWithAValidSampleCall() {
        ConfigCheckResult r = ConfigLoader.load(List.of(), Fixtures.doc(Fixtures.MACROS));
        assertThat(r.valid()).isTrue();
        assertThat(r.config().flatMap(AgentConfig::agentIdValue)).contains("agent.demo");
        assertThat(r.config().flatMap(AgentConfig::nicEnabled)).contains(true);
    }

    static int lineOf(SourceFile f, String marker) {
        int at = f.text().indexOf(marker);
        assertThat(at).as("marker %s", marker).isNotNegative();
        return (int) f.text().substring(0, at).chars().filter(ch -> ch == '\n').count() + 1;
    }

    static int columnOf(SourceFile f, String marker) {
        int at = f.text().indexOf(marker);
        return at - (f.text().lastIndexOf('\n', at - 1) + 1) + 1;
    }
}
