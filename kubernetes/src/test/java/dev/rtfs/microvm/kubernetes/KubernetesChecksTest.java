package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The crosswalk's diagnostics: refusals at the field the cluster cannot express, a warning per weaker guarantee. */
class KubernetesChecksTest {

    @Test
    void hostSideTlsFilesAndCredentialsAreRefusedAtTheirFields() {
        var config = K8sFixtures.valid(K8sFixtures.TLS);
        var result = KubernetesSynthesizer.agent(config, KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE));
        assertThat(result).isInstanceOf(KubernetesResult.Refused.class);
        List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertThat(errors).extracting(Diagnostic::code).containsOnly(KubernetesCode.KUBERNETES_HOST_SECRET);
        assertThat(errors).extracting(Diagnostic::path).containsExactlyInAnyOrder("network.egress.upstream_ca",
                "network.egress.client_cert", "network.egress.credentials");
        assertThat(errors).allSatisfy(d -> {
            assertThat(d.span().source()).isEqualTo(K8sFixtures.TLS);
            assertThat(d.span().line()).isPositive();
        });
        Diagnostic ca = errors.stream().filter(d -> d.path().endsWith("upstream_ca")).findFirst().orElseThrow();
        String line = K8sFixtures.source(K8sFixtures.TLS).text().lines().toList().get(ca.span().line() - 1);
        assertThat(line.substring(ca.span().column() - 1)).startsWith(":upstream_ca");
    }

    @Test
    void aGpuIsRefused() {
        String text = K8sFixtures.networked("gpu-agent", 2, 512, "\"example.com\"")
                .replace(":network {", ":capabilities {:gpu {:enabled true}}\n  :network {");
        var result = KubernetesSynthesizer.agent(K8sFixtures.validText(text), KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE));
        assertThat(result).isInstanceOf(KubernetesResult.Refused.class);
        assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).extracting(Diagnostic::path)
                .containsExactly("capabilities.gpu.enabled");
    }

    @Test
    void theDocsExampleWarnsAboutEachWeakerGuaranteeAndNothingIsAnError() {
        var config = K8sFixtures.valid(K8sFixtures.EXAMPLE).config();
        List<Diagnostic> d = KubernetesSynthesizer.check(config, Optional.of("agent:latest"));
        assertThat(d).allMatch(x -> x.severity() == Severity.WARNING);
        assertThat(d).extracting(Diagnostic::code).containsExactlyInAnyOrder(
                KubernetesCode.KUBERNETES_ATTESTATION_WEAKER, KubernetesCode.KUBERNETES_CONTROL_PLANE_ABSENT,
                KubernetesCode.KUBERNETES_SHARED_PROXY, KubernetesCode.KUBERNETES_DNS_KUBE_DNS,
                KubernetesCode.KUBERNETES_KERNEL_NOT_CARRIED, KubernetesCode.KUBERNETES_IMAGE_NOT_PINNED,
                KubernetesCode.KUBERNETES_VM_SIZING_INEXACT);
        assertThat(d).filteredOn(x -> x.code() != KubernetesCode.KUBERNETES_IMAGE_NOT_PINNED)
                .allSatisfy(x -> assertThat(x.span().source()).isEqualTo(K8sFixtures.EXAMPLE));
    }

    @Test
    void anImagePinnedByDigestDoesNotWarnAndAnExactlySizedAirgappedAgentHasNoSizingOrProxyWarning() {
        var config = K8sFixtures.valid(K8sFixtures.AIRGAPPED).config();
        assertThat(KubernetesSynthesizer.check(config, Optional.of(K8sFixtures.DIGEST_IMAGE))).extracting(Diagnostic::code)
                .doesNotContain(KubernetesCode.KUBERNETES_IMAGE_NOT_PINNED, KubernetesCode.KUBERNETES_VM_SIZING_INEXACT,
                        KubernetesCode.KUBERNETES_SHARED_PROXY);
    }

    @Test
    void twoConfigsWithTheSameClusterNameAreRefusedForTheProxy() {
        var a = K8sFixtures.validText(K8sFixtures.networked("agent.one", 2, 512, "\"example.com\""));
        var b = K8sFixtures.validText(K8sFixtures.networked("agent-one", 2, 512, "\"example.org\""));
        var result = KubernetesSynthesizer.proxy(List.of(a, b), "rtfs-egress", K8sFixtures.DIGEST_IMAGE);
        assertThat(result).isInstanceOf(KubernetesResult.Refused.class);
        assertThat(result.diagnostics()).extracting(Diagnostic::code).contains(KubernetesCode.KUBERNETES_DUPLICATE_AGENT);
    }

    @Test
    void aPlanTheConfigDoesNotAdmitIsRefused() {
        var config = K8sFixtures.validText(K8sFixtures.networked("agent.microvm.example", 2, 512, "\"example.org\""));
        var result = KubernetesSynthesizer.agent(config, KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE)
                .withPlan(K8sFixtures.source(K8sFixtures.PLAN)));
        assertThat(result).isInstanceOf(KubernetesResult.Refused.class);
        assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).isNotEmpty();
    }

    @Test
    void theProxyMountsTheCaSecretOnlyWhenAnAgentIntercepts() {
        var intercepting = (KubernetesResult.Synthesized) KubernetesSynthesizer.proxy(
                List.of(K8sFixtures.valid(K8sFixtures.EXAMPLE)), "rtfs-egress", K8sFixtures.DIGEST_IMAGE);
        var tunnelling = (KubernetesResult.Synthesized) KubernetesSynthesizer.proxy(
                List.of(K8sFixtures.valid(K8sFixtures.AIRGAPPED)), "rtfs-egress", K8sFixtures.DIGEST_IMAGE);
        assertThat(intercepting.yaml()).contains("secretName: rtfs-egress-ca", "--ca-key");
        assertThat(tunnelling.yaml()).doesNotContain("rtfs-egress-ca", "--ca-cert")
                .contains("internalTrafficPolicy: Local", "rtfs-acl-agent-airgapped");
    }
}
