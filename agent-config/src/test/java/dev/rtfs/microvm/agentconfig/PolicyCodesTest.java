package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.agentconfig.diag.Severity;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per DESIGN §5 code: {@link Fixtures#VALID} with exactly one thing broken must give exactly that
 * diagnostic, with its severity, path and the line:column of the offending value or key. The expected position
 * is found independently, as the first occurrence of a marker in the broken text.
 */
class PolicyCodesTest {

    record Case(String code, Severity severity, String path, String text, String marker) {
        @Override public String toString() { return code + " @ " + path; }
    }

    private static Case broken(String code, Severity sev, String path, String from, String to, String marker) {
        assertThat(Fixtures.VALID).contains(from);
        return new Case(code, sev, path, Fixtures.VALID.replace(from, to), marker);
    }

    /** {@link Fixtures#VALID} intercepting TLS (its {@code :mtls true} off, having no client certificate), then broken. */
    private static Case intercepting(String code, Severity sev, String path, String from, String to, String marker) {
        String base = Fixtures.VALID.replace(":mtls true", ":mtls false :tls :intercept");
        assertThat(base).contains(from);
        return new Case(code, sev, path, base.replace(from, to), marker);
    }

    static final Severity E = Severity.ERROR;
    static final Severity W = Severity.WARNING;

    static Stream<Arguments> cases() {
        String withoutMicrovm = Fixtures.VALID.substring(0, Fixtures.VALID.indexOf("  :microvm")) + ")\n";
        return Stream.of(
                broken("RTFS_SYNTAX", E, "", "\"console=none\"", "\"console\\q\"", "\\q"),
                broken("RTFS_EVAL", E, "", ":vcpus 1", ":vcpus cpu-count", "cpu-count"),
                new Case("CONFIG_NOT_AGENT_CONFIG", E, "", "\n\n  [:version \"1\"]\n", "[:version"),
                new Case("CONFIG_SHAPE", E, "extra", Fixtures.VALID.replace("}})", "}} :extra)"), ":extra"),
                broken("CONFIG_SHAPE", E, "microvm.resources", ":mem_mb 256}", ":mem_mb 256 \"cpus\" 2}", "\"cpus\""),
                broken("CONFIG_DUPLICATE_KEY", E, "microvm.resources.mem-mb", ":mem_mb 256}", ":mem_mb 256 :mem-mb 128}", ":mem-mb"),
                broken("CONFIG_DUPLICATE_KEY", E, "version", ":agent-id \"agent.a\"", ":agent-id \"agent.a\" :version \"2\"", ":version \"2\""),
                broken("CONFIG_KEY_ALIAS", W, "microvm.resources.mem-mb", ":mem_mb 256", ":mem-mb 256", ":mem-mb"),
                broken("CONFIG_UNKNOWN_KEY", E, "network.egress.mtsl", ":mtls true", ":mtsl true", ":mtsl"),
                broken("CONFIG_UNKNOWN_KEY", W, "colour", ":version \"1\"", ":version \"1\" :colour \"blue\"", ":colour"),
                broken("CONFIG_TYPE", E, "microvm.resources.vcpus", ":vcpus 1", ":vcpus \"one\"", "\"one\""),
                broken("CONFIG_TYPE", E, "orchestrator.dlp.policy", ":policy :strict", ":policy :strikt", ":strikt"),
                broken("CONFIG_REQUIRED", E, "microvm.rootfs.ro", ":ro true}", "}", ":rootfs"),
                new Case("MICROVM_BLOCK_MISSING", E, "microvm", withoutMicrovm, ":microvm"),
                broken("MICROVM_ISOLATION_MODE", E, "orchestrator.isolation.mode", ":mode :microvm", ":mode :container", ":container"),
                broken("MICROVM_FS_EPHEMERAL", E, "orchestrator.isolation.fs.ephemeral", ":ephemeral true", ":ephemeral false", "false"),
                broken("MICROVM_CAPS_MOUNT_RO", E, "orchestrator.isolation.fs.mounts.capabilities.mode", "{:mode :ro}", "{:mode :rw}", ":rw"),
                broken("MICROVM_CAPS_MOUNT_MISSING", W, "orchestrator.isolation.fs.mounts.capabilities", "{:capabilities {:mode :ro}}", "{}", ":mounts"),
                broken("MICROVM_ROOTFS_RW", E, "microvm.rootfs.ro", ":ro true", ":ro false", "false"),
                broken("MICROVM_VCPUS", E, "microvm.resources.vcpus", ":vcpus 1", ":vcpus 33", "33"),
                broken("MICROVM_VCPUS", E, "microvm.resources.vcpus", ":vcpus 1", ":vcpus 0", "0\n"),
                broken("MICROVM_MEM", E, "microvm.resources.mem_mb", ":mem_mb 256", ":mem_mb 32", "32"),
                broken("MICROVM_MEM", E, "microvm.resources.mem_mb", ":mem_mb 256", ":mem_mb 2147483648", "2147483648"),
                broken("CONFIG_TYPE", E, "microvm.kernel.image", ":image \"vmlinuz\"", ":image \"\"", "\"\""),
                broken("CONFIG_TYPE", E, "microvm.rootfs.image", ":image \"rootfs.img\"", ":image \" \"", "\" \""),
                broken("MICROVM_MEM_HIGH", W, "microvm.resources.mem_mb", ":mem_mb 256", ":mem_mb 2048", "2048"),
                broken("MICROVM_VSOCK_CID", E, "microvm.devices.vsock.cid", ":cid 3", ":cid 2", "2}}"),
                broken("MICROVM_VSOCK_CID", E, "microvm.devices.vsock.cid", ":cid 3", ":cid 4294967295", "4294967295"),
                broken("MICROVM_VSOCK_CID", E, "microvm.devices.vsock.cid", ":cid 3}}", "}}", ":vsock"),
                broken("MICROVM_NIC_EGRESS", E, "network.egress.via", ":via :proxy", ":via :none", ":none"),
                broken("MICROVM_NIC_EGRESS", E, "network.enabled", ":network {:enabled true", ":network {:enabled false", "false"),
                broken("MICROVM_EGRESS_ALLOWLIST", E, "network.egress.allow-domains", "[\"example.com\"]", "[]", ":allow-domains"),
                broken("EGRESS_DOMAIN_INVALID", E, "network.egress.allow-domains", "\"example.com\"", "\"10.0.0.1\"", "\"10.0.0.1\""),
                broken("EGRESS_DOMAIN_INVALID", E, "network.egress.allow-domains", "\"example.com\"", "\"https://example.com\"", "\"https:"),
                broken("EGRESS_DOMAIN_INVALID", E, "capabilities.http.egress.allow-domains", ":version \"1\"",
                        ":version \"1\" :capabilities {:http {:enabled true :egress {:allow-domains [\"api.example.com\" \"*\"]}}}", "\"*\""),
                broken("CONFIG_UNKNOWN_KEY", W, "capabilities.htp", ":version \"1\"",
                        ":version \"1\" :capabilities {:htp {:enabled true}}", ":htp"),
                broken("EGRESS_TLS_PIN_FORMAT", E, "network.egress.tls_pins", "\"sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"", "\"sha256/abc\"", "\"sha256/abc\""),
                broken("EGRESS_TLS_PIN_PLACEHOLDER", W, "network.egress.tls_pins", "\"sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"", "\"sha256/REPLACE_ME\"", "\"sha256/REPLACE_ME\""),
                broken("CONFIG_TYPE", E, "network.egress.tls", ":mtls true", ":mtls true :tls :mitm", ":mitm"),
                broken("EGRESS_TUNNEL_DLP_BLIND", W, "network.egress.tls", ":mtls true", ":mtls true :tls :tunnel", ":tunnel"),
                broken("EGRESS_PASSTHROUGH_NOT_ALLOWED", E, "network.egress.tls_passthrough", ":mtls true",
                        ":mtls true :tls_passthrough [\"pinned.other.org\"]", "\"pinned.other.org\""),
                intercepting("EGRESS_PASSTHROUGH_STRICT", E, "network.egress.tls_passthrough", ":via :proxy",
                        ":via :proxy :tls_passthrough [\"example.com\"]", "\"example.com\""),
                intercepting("EGRESS_PASSTHROUGH_DLP_BLIND", W, "network.egress.tls_passthrough", ":via :proxy",
                        ":via :proxy :tls_passthrough [\"example.com\"] :tls_passthrough_waiver [\"example.com\"]", "\"example.com\""),
                broken("EGRESS_WAIVER_NOT_PASSTHROUGH", E, "network.egress.tls_passthrough_waiver", ":via :proxy",
                        ":via :proxy :tls_passthrough_waiver [\"example.com\"]", "\"example.com\""),
                intercepting("EGRESS_TLS_DOMAIN_NOT_ALLOWED", E, "network.egress.client_cert", ":tls_pins",
                        ":client_cert {\"other.org\" {:cert \"/etc/c.pem\" :key \"/etc/c.key\"}} :tls_pins", "\"other.org\""),
                intercepting("EGRESS_HOST_PATH", E, "network.egress.client_cert.\"example.com\".key", ":tls_pins",
                        ":client_cert {\"example.com\" {:cert \"/etc/c.pem\" :key \"c.key\"}} :tls_pins", "\"c.key\""),
                broken("EGRESS_HOST_PATH", E, "network.egress.upstream_ca", ":mtls true", ":mtls true :upstream_ca \"ca.pem\"", "\"ca.pem\""),
                broken("EGRESS_MTLS_MATERIAL", E, "network.egress.mtls", ":mtls true", ":mtls true :tls :intercept", "true :tls"),
                intercepting("EGRESS_CREDENTIAL_INLINE", E, "network.egress.credentials.\"example.com\".value", ":tls_pins",
                        ":credentials {\"example.com\" [{:header \"Authorization\" :value \"sk-live-123\"}]} :tls_pins", ":value"),
                intercepting("EGRESS_CREDENTIAL_SOURCE", E, "network.egress.credentials.\"example.com\"", ":tls_pins",
                        ":credentials {\"example.com\" [{:header \"X-Key\"}]} :tls_pins", "{:header"),
                intercepting("EGRESS_CREDENTIAL_SOURCE", E, "network.egress.credentials.\"example.com\".env", ":tls_pins",
                        ":credentials {\"example.com\" [{:header \"X-Key\" :env \"9-lives\"}]} :tls_pins", "\"9-lives\""),
                intercepting("EGRESS_CREDENTIAL_HEADER", E, "network.egress.credentials.\"example.com\".header", ":tls_pins",
                        ":credentials {\"example.com\" [{:header \"Host\" :env \"T\"}]} :tls_pins", "\"Host\""),
                broken("EGRESS_CREDENTIAL_NEEDS_INTERCEPT", E, "network.egress.credentials", ":mtls true",
                        ":mtls true :credentials {\"example.com\" [{:header \"Authorization\" :env \"API_TOKEN\"}]}", ":credentials"),
                intercepting("CONFIG_SHAPE", E, "network.egress.credentials", ":tls_pins",
                        ":credentials {:example.com [{:header \"X-Key\" :env \"K\"}]} :tls_pins", ":example.com"),
                broken("MICROVM_ATTESTATION_HASH_DEFERRED", W, "microvm.attestation.expect_rootfs_hash", "\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", "\"sha256:...\"", "\"sha256:...\""),
                broken("MICROVM_ATTESTATION_HASH_FORMAT", E, "microvm.attestation.expect_rootfs_hash", "\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", "\"sha256:E3B0C442\"", "\"sha256:E3B0C442\""),
                broken("DLP_DISABLED", W, "orchestrator.dlp.enabled", ":dlp {:enabled true", ":dlp {:enabled false", "false"),
                broken("DLP_NOT_STRICT", W, "orchestrator.dlp.policy", ":policy :strict", ":policy :lenient", ":lenient")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCodeAloneWithItsPosition(Case c) {
        ConfigCheckResult r = Fixtures.check(c.text());
        assertThat(r.diagnostics()).as("diagnostics of %s", c).hasSize(1);
        Diagnostic d = r.diagnostics().getFirst();
        int at = c.text().indexOf(c.marker());
        assertThat(at).as("marker %s", c.marker()).isGreaterThanOrEqualTo(0);
        String before = c.text().substring(0, at);
        int line = (int) before.chars().filter(ch -> ch == '\n').count() + 1;
        int column = before.length() - (before.lastIndexOf('\n') + 1) + 1;
        assertThat(d.code().name()).isEqualTo(c.code());
        assertThat(d.severity()).isEqualTo(c.severity());
        assertThat(d.path()).isEqualTo(c.path());
        assertThat(d.span().source()).isEqualTo("test.rtfs");
        assertThat(d.span().line()).as("line").isEqualTo(line);
        assertThat(d.span().column()).as("column").isEqualTo(column);
        assertThat(d.message()).isNotBlank();
        assertThat(r.valid()).isEqualTo(c.severity() == Severity.WARNING);
    }

    @Test
    void everyCodeOfTheContractHasACase() throws IllegalAccessException {
        java.util.Set<String> covered = new java.util.HashSet<>();
        cases().forEach(a -> covered.add(((Case) a.get()[0]).code()));
        java.util.Set<String> all = new java.util.HashSet<>();
        for (ConfigCode code : ConfigCode.values()) all.add(code.name());
        all.add(RtfsCode.RTFS_SYNTAX.name());
        all.add(RtfsCode.RTFS_EVAL.name());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void messagesNameTheProblemPrecisely() {
        assertThat(Fixtures.check(Fixtures.VALID.replace(":cid 3", ":cid -1")).diagnostics()).singleElement()
                .satisfies(d -> assertThat(d.message()).isEqualTo("vsock cid -1 is negative"));
        assertThat(Fixtures.check(Fixtures.VALID.replace(":version \"1\"", ":version \"1\" :features 5")).diagnostics())
                .singleElement().satisfies(d -> assertThat(d.message()).startsWith("expected a vector of keywords or strings,"));
    }

    @Test
    void anInlineCredentialIsRefusedWithoutBeingQuoted() {
        String text = Fixtures.VALID.replace(":mtls true", ":mtls false :tls :intercept :credentials {\"example.com\""
                + " [{:header \"Authorization\" :value \"sk-live-S3CR3T-0123456789\"}]}");
        ConfigCheckResult r = Fixtures.check(text);
        assertThat(Fixtures.codes(r)).containsExactly("EGRESS_CREDENTIAL_INLINE");
        assertThat(r.diagnostics().getFirst().toString()).doesNotContain("S3CR3T");
        assertThat(r.diagnostics().getFirst().message() + r.diagnostics().getFirst().suggestion()).doesNotContain("S3CR3T");
        assertThat(r.validated()).isEmpty();
    }

    @Test
    void aConfigWithEveryTlsEgressFieldIsCleanAndTyped() {
        String text = Fixtures.VALID.replace(":mtls true", """
                :mtls true :tls :intercept
                                 :tls_passthrough ["example.com"] :tls_passthrough_waiver ["example.com"]
                                 :upstream_ca "/etc/rtfs/ca.pem"
                                 :client_cert {"example.com" {:cert "/etc/rtfs/c.pem" :key "/etc/rtfs/c.key"}}
                                 :credentials {"example.com" [{:header "Authorization" :env "API_TOKEN" :prefix "Bearer "}
                                                              {:header "X-Key" :file "/run/secrets/key"}]}""");
        ConfigCheckResult r = Fixtures.check(text);
        assertThat(Fixtures.codes(r)).containsExactly("EGRESS_PASSTHROUGH_DLP_BLIND");
        var c = r.config().orElseThrow();
        assertThat(c.egressTlsMode()).isEqualTo(dev.rtfs.microvm.agentconfig.model.EgressTlsMode.INTERCEPT);
        assertThat(c.egressTlsPassthrough()).contains(java.util.List.of("example.com"));
        assertThat(c.egressUpstreamCa()).contains("/etc/rtfs/ca.pem");
        assertThat(c.egressClientCerts()).singleElement().satisfies(cc -> {
            assertThat(cc.domain().value()).isEqualTo("example.com");
            assertThat(cc.cert().orElseThrow().value()).isEqualTo("/etc/rtfs/c.pem");
            assertThat(cc.key().orElseThrow().value()).isEqualTo("/etc/rtfs/c.key");
        });
        assertThat(c.egressCredentials()).hasSize(2);
        assertThat(c.egressCredentials().get(0).env().orElseThrow().value()).isEqualTo("API_TOKEN");
        assertThat(c.egressCredentials().get(0).prefix().orElseThrow().value()).isEqualTo("Bearer ");
        assertThat(c.egressCredentials().get(1).file().orElseThrow().value()).isEqualTo("/run/secrets/key");
    }

    @Test
    void theValidFixtureIsClean() {
        assertThat(Fixtures.check(Fixtures.VALID).diagnostics()).isEmpty();
    }
}
