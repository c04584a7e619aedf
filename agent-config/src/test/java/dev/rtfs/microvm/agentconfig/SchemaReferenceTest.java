package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaReferenceTest {

    @Test
    void theMicrovmTableListsEveryFieldWithItsTypeAndWhetherItIsRequired() {
        String table = SchemaReference.markdownTable("microvm");
        assertThat(table).contains("| `:microvm.rootfs.ro` | a boolean (true/false) | required |  |")
                .contains("| `:microvm.devices.vsock.cid` | an integer | optional |  |")
                .contains("| `:microvm` | a map | optional | error |");
        assertThat(table.lines().filter(l -> l.startsWith("| `:")).count())
                .isEqualTo(SchemaReference.rows("microvm").size()).isEqualTo(20);
    }

    @Test
    void pathsNameUserNamedLevelsAndInheritStrictness() {
        assertThat(SchemaReference.paths()).contains("orchestrator.isolation.fs.mounts.<name>.mode",
                "network.egress.allow-domains", "version").doesNotContain("microvm.rootfs.readonly");
        assertThat(SchemaReference.rows("capabilities")).first().extracting(SchemaReference.Row::strict).isEqualTo(false);
        assertThat(SchemaReference.rows("network")).allMatch(SchemaReference.Row::strict);
    }

    @Test
    void anUnknownSectionIsRefused() {
        assertThatThrownBy(() -> SchemaReference.rows("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
