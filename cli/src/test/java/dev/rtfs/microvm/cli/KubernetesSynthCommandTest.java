package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code synth --target kubernetes|kubernetes-proxy} and {@code check --target kubernetes}: YAML on stdout and exit
 * 0, the same diagnostics as {@code check} for an invalid config (exit 1), a refusal for what a cluster cannot
 * express (exit 1), usage errors (exit 2).
 */
class KubernetesSynthCommandTest {

    static final Path ROOT = SynthCommandTest.ROOT;
    static final String EXAMPLE = SynthCommandTest.EXAMPLE.toString();
    static final String AIRGAPPED = SynthCommandTest.AIRGAPPED.toString();
    static final String TLS = ROOT.resolve("docs/examples/agent.config.tls.rtfs").toString();
    static final String PLAN = ROOT.resolve("docs/examples/plan.networked.rtfs").toString();
    static final String IMAGE = "registry.example/rtfs/agent@sha256:" + "ab".repeat(32);

    @TempDir Path dir;

    @Test
    void theDocsExampleBecomesKataManifestsOnStdoutWithWarningsOnStderr() {
        CliRun r = run("synth", EXAMPLE, "--target", "kubernetes", "--image-ref", IMAGE, "--namespace", "agents",
                "--with-runtime-class");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("---\n").contains("kind: Pod", "runtimeClassName: kata-fc", "kind: RuntimeClass",
                "kind: NetworkPolicy", "name: rtfs-acl-agent-microvm-example", "namespace: agents", "50-rtfs.toml");
        assertThat(r.err()).contains("KUBERNETES_SHARED_PROXY", "KUBERNETES_VM_SIZING_INEXACT", "the agent config has warnings")
                .doesNotContain("KUBERNETES_IMAGE_NOT_PINNED");
    }

    @Test
    void aPlanMakesAJobAndKataQemuIsTheOtherRuntime() {
        CliRun r = run("synth", EXAMPLE, "--target", "kubernetes", "--image-ref", "agent:1", "--plan", PLAN,
                "--runtime-class", "kata-qemu");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("kind: Job", "backoffLimit: 0", "restartPolicy: Never", "runtimeClassName: kata-qemu",
                "name: rtfs-plan-agent-microvm-example").doesNotContain("kind: Pod");
        assertThat(r.err()).contains("KUBERNETES_IMAGE_NOT_PINNED");
    }

    @Test
    void theProxyTargetTakesSeveralConfigs() {
        CliRun r = run("synth", EXAMPLE, AIRGAPPED, "--target", "kubernetes-proxy", "--image-ref", IMAGE,
                "--proxy-namespace", "egress");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("kind: DaemonSet", "kind: Service", "internalTrafficPolicy: Local",
                "rtfs-acl-agent-microvm-example", "rtfs-acl-agent-airgapped", "namespace: egress", "--ca-cert");
    }

    @Test
    void anInvalidConfigIsRefusedWithTheDiagnosticsOfCheck() throws IOException {
        Path bad = dir.resolve("bad.rtfs");
        Files.writeString(bad, Files.readString(SynthCommandTest.EXAMPLE).replace(":ro true", ":ro false"));
        CliRun check = run("check", bad.toString(), "--format", "json");
        CliRun synth = run("synth", bad.toString(), "--target", "kubernetes", "--image-ref", IMAGE, "--format", "json");
        assertThat(synth.exit()).isEqualTo(1);
        assertThat(check.exit()).isEqualTo(1);
        assertThat(synth.out()).isEqualTo(check.out()).contains("MICROVM_ROOTFS_RW");
    }

    @Test
    void aConfigTheClusterCannotExpressIsRefusedAtTheField() {
        CliRun r = run("synth", TLS, "--target", "kubernetes", "--image-ref", IMAGE);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("KUBERNETES_HOST_SECRET", "network.egress.upstream_ca", "agent.config.tls.rtfs:")
                .doesNotContain("kind: Pod");
        assertThat(r.err()).contains("refused to synthesize kubernetes manifests");
        CliRun proxy = run("synth", TLS, "--target", "kubernetes-proxy", "--image-ref", IMAGE);
        assertThat(proxy.exit()).isEqualTo(1);
        assertThat(proxy.out()).contains("KUBERNETES_HOST_SECRET");
    }

    @Test
    void checkWithTheKubernetesTargetWarnsAboutEachWeakerGuarantee() {
        CliRun plain = run("check", EXAMPLE, "--format", "json");
        CliRun k8s = run("check", EXAMPLE, "--target", "kubernetes", "--format", "json");
        assertThat(k8s.exit()).isZero();
        assertThat(plain.out()).doesNotContain("KUBERNETES_");
        JsonNode report = JsonMapper.shared().readTree(k8s.out());
        assertThat(report.toString()).contains("KUBERNETES_ATTESTATION_WEAKER", "KUBERNETES_CONTROL_PLANE_ABSENT",
                "KUBERNETES_DNS_KUBE_DNS", "KUBERNETES_KERNEL_NOT_CARRIED");
        assertThat(run("check", EXAMPLE, "--target", "kubernetes", "--warnings-as-errors").exit()).isEqualTo(1);
        assertThat(run("check", TLS, "--target", "kubernetes").exit()).isEqualTo(1);
        assertThat(run("check", TLS).exit()).isZero();
        assertThat(run("check", EXAMPLE, "--target", "kubernetes", "--format", "sarif").out()).contains("KUBERNETES_SHARED_PROXY");
    }

    @Test
    void kubernetesUsageErrorsExitTwo() {
        assertThat(run("synth", EXAMPLE, "--target", "kubernetes").exit()).isEqualTo(2);
        CliRun noImage = run("synth", EXAMPLE, "--target", "kubernetes-proxy");
        assertThat(noImage.exit()).isEqualTo(2);
        assertThat(noImage.err()).contains("--image-ref");
        assertThat(run("synth", EXAMPLE, AIRGAPPED, "--target", "kubernetes", "--image-ref", IMAGE).exit()).isEqualTo(2);
        assertThat(run("synth", EXAMPLE, AIRGAPPED, "--target", "qemu").exit()).isEqualTo(2);
        assertThat(run("synth", EXAMPLE, "--target", "kubernetes", "--image-ref", IMAGE, "--runtime-class", "runc").exit())
                .isEqualTo(2);
        assertThat(run("synth", EXAMPLE, "--target", "kubernetes", "--image-ref", IMAGE, "--namespace", "Bad_NS").exit())
                .isEqualTo(2);
        assertThat(run("synth", EXAMPLE, "--target", "firecracker", "--image-ref", IMAGE).exit()).isEqualTo(2);
        assertThat(run("check", EXAMPLE, "--target", "nomad").exit()).isEqualTo(2);
    }
}
