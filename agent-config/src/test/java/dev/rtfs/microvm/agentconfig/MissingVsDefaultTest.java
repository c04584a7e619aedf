package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.Severity;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import org.junit.jupiter.api.Test;

/** What was not written stays absent: no silent defaults (the upstream parser's bug). */
class MissingVsDefaultTest {

    private static final String BASE = """
            (agent.config :version "1" :agent-id "a"
              :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                             :dlp {:enabled true :policy :strict}}
              :microvm {:kernel {:image "k"}
                        ROOTFS
                        RESOURCES})
            """;

    private static ConfigCheckResult check(String rootfs, String resources) {
        return Fixtures.check(BASE.replace("ROOTFS", rootfs).replace("RESOURCES", resources));
    }

    @Test
    void microvmWithoutResourcesIsRequiredNotDefaulted() {
        ConfigCheckResult r = check(":rootfs {:image \"r\" :ro true}", "");
        assertThat(r.diagnostics()).hasSize(1);
        Diagnostic d = r.diagnostics().getFirst();
        assertThat(d.code()).isEqualTo(ConfigCode.CONFIG_REQUIRED);
        assertThat(d.path()).isEqualTo("microvm.resources");
        assertThat(d.span().line()).isEqualTo(4); // the :microvm key
        assertThat(d.span().column()).isEqualTo(3);
        AgentConfig c = r.config().orElseThrow();
        assertThat(c.resources()).isEmpty();
        assertThat(c.vcpus()).isEmpty();
        assertThat(c.memMb()).isEmpty();
    }

    @Test
    void resourcesNeedBothFields() {
        ConfigCheckResult r = check(":rootfs {:image \"r\" :ro true}", ":resources {:vcpus 2}");
        assertThat(r.diagnostics()).extracting(Diagnostic::code, Diagnostic::path)
                .containsExactly(org.assertj.core.api.Assertions.tuple(ConfigCode.CONFIG_REQUIRED, "microvm.resources.mem_mb"));
        assertThat(r.config().orElseThrow().vcpus()).contains(2L);
        assertThat(r.config().orElseThrow().memMb()).isEmpty();
    }

    @Test
    void rootfsWithoutRoIsRequiredAndNotAssumedReadOnly() {
        ConfigCheckResult r = check(":rootfs {:image \"x\"}", ":resources {:vcpus 1 :mem_mb 256}");
        assertThat(r.diagnostics()).hasSize(1);
        Diagnostic d = r.diagnostics().getFirst();
        assertThat(d.code()).isEqualTo(ConfigCode.CONFIG_REQUIRED);
        assertThat(d.path()).isEqualTo("microvm.rootfs.ro");
        assertThat(d.span().line()).isEqualTo(5);
        assertThat(d.span().column()).isEqualTo(13); // the :rootfs key
        assertThat(r.config().orElseThrow().rootfsReadOnly()).isEmpty();
        assertThat(r.config().orElseThrow().rootfsImage()).contains("x");
    }

    @Test
    void memDashMbIsAnAliasWithAWarningAndStillCounts() {
        ConfigCheckResult r = check(":rootfs {:image \"r\" :ro true}", ":resources {:vcpus 1 :mem-mb 32}");
        assertThat(r.diagnostics()).extracting(Diagnostic::severity, Diagnostic::code, Diagnostic::path).containsExactly(
                org.assertj.core.api.Assertions.tuple(Severity.WARNING, ConfigCode.CONFIG_KEY_ALIAS, "microvm.resources.mem-mb"),
                org.assertj.core.api.Assertions.tuple(Severity.ERROR, ConfigCode.MICROVM_MEM, "microvm.resources.mem-mb"));
        assertThat(r.diagnostics().getFirst().suggestion()).isEqualTo("write :mem_mb");
        assertThat(r.config().orElseThrow().memMb()).contains(32L);
    }

    @Test
    void bothSpellingsAreADuplicateAndTheFirstWins() {
        ConfigCheckResult r = check(":rootfs {:image \"r\" :ro true}", ":resources {:vcpus 1 :mem_mb 256 :mem-mb 8}");
        assertThat(Fixtures.codes(r)).containsExactly(ConfigCode.CONFIG_DUPLICATE_KEY.name());
        assertThat(r.config().orElseThrow().memMb()).contains(256L);
    }

    @Test
    void aTypoSuggestsTheNearestKey() {
        ConfigCheckResult r = check(":rootfs {:image \"r\" :ro true}", ":resources {:vcpus 1 :mem_mb 256 :memmb 8}");
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(ConfigCode.CONFIG_UNKNOWN_KEY);
            assertThat(d.severity()).isEqualTo(Severity.ERROR); // inside :microvm
            assertThat(d.suggestion()).isEqualTo("did you mean :mem_mb?");
        });
    }

    @Test
    void absentOptionalSectionsAreEmptyNotDefaulted() {
        AgentConfig c = check(":rootfs {:image \"r\" :ro true}", ":resources {:vcpus 1 :mem_mb 256}").config().orElseThrow();
        assertThat(c.devices()).isEmpty();
        assertThat(c.nicEnabled()).isEmpty();
        assertThat(c.vsockCid()).isEmpty();
        assertThat(c.attestation()).isEmpty();
        assertThat(c.network()).isEmpty();
        assertThat(c.networkEnabled()).isEmpty();
        assertThat(c.kernelCmdline()).isEmpty();
        assertThat(c.llmEnabled()).isEmpty();
    }

    @Test
    void wrongTypedFieldIsReportedOnceAndAbsentFromTheModel() {
        ConfigCheckResult r = check(":rootfs {:image \"r\" :ro \"true\"}", ":resources {:vcpus 1 :mem_mb 256}");
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(ConfigCode.CONFIG_TYPE);
            assertThat(d.suggestion()).isEqualTo("write true without quotes");
        });
        assertThat(r.config().orElseThrow().rootfsReadOnly()).isEmpty();
    }
}
