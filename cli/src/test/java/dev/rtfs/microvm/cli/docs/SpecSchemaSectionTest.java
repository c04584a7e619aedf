package dev.rtfs.microvm.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.SchemaReference;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spec 19's {@code :microvm} type schema is generated from the validator's schema, and the spec has every section
 * it is asked to have.
 *
 * <p>Regenerate the block after a schema change:
 * {@code scripts/test -pl cli -am -Dtest=SpecSchemaSectionTest -Dsurefire.failIfNoSpecifiedTests=false -Dspec.regenerate=true}
 * (rewrites the lines between the markers in the spec, then passes).
 */
class SpecSchemaSectionTest {

    static final String OPEN = "<!-- generated:microvm-schema -->\n";
    static final String CLOSE = "<!-- /generated -->";

    /** {@code spec} with the generated block replaced by what the generator prints now. */
    static String regenerated(String spec) {
        int from = spec.indexOf(OPEN);
        int to = spec.indexOf(CLOSE, from);
        assertThat(from).as("marker %s", OPEN.strip()).isNotNegative();
        assertThat(to).as("marker %s", CLOSE).isPositive();
        return spec.substring(0, from + OPEN.length()) + SchemaReference.markdownTable("microvm") + spec.substring(to);
    }

    @Test
    void theMicrovmSchemaInTheSpecIsWhatTheValidatorChecks() throws IOException {
        String spec = Files.readString(DocFiles.SPEC);
        String now = regenerated(spec);
        if (Boolean.getBoolean("spec.regenerate") && !now.equals(spec)) Files.writeString(DocFiles.SPEC, now);
        else assertThat(spec).as("the generated block is stale: rerun with -Dspec.regenerate=true (see this test's javadoc)")
                .isEqualTo(now);
    }

    @Test
    void aHandEditedSchemaRowIsStale() throws IOException {
        String spec = Files.readString(DocFiles.SPEC);
        String edited = spec.replace("| `:microvm.rootfs.ro` | a boolean (true/false) | required |",
                "| `:microvm.rootfs.ro` | a boolean (true/false) | optional |");
        assertThat(edited).isNotEqualTo(spec);
        assertThat(regenerated(edited)).isNotEqualTo(edited);
    }

    @Test
    void theSpecHasEverySectionItIsAskedFor() throws IOException {
        String spec = Files.readString(DocFiles.SPEC);
        for (String heading : List.of("Threat model and goals", "Guest image composition", "Host VMM setup",
                "The `:microvm` extension", "Execution semantics", "The supervisor", "The control plane",
                "The egress proxy", "Attestation", "The causal chain: buffering, flush, anchoring",
                "The profile macro example", "Acceptance criteria", "Runbook", "Acceptance crosswalk")) {
            assertThat(spec).as("section %s", heading).containsPattern("(?m)^## \\d+\\. " + java.util.regex.Pattern.quote(heading));
        }
        for (String sub : List.of("Build", "Package", "Deploy", "Update: blue/green")) {
            assertThat(spec).as("runbook step %s", sub).containsPattern("(?m)^### 13\\.\\d " + sub);
        }
        assertThat(spec).contains("virtio-serial", "hybrid vsock", "docs/egress-acl.md", "--initrd", "keys/");
        assertThat(Files.readString(DocFiles.ROOT.resolve("docs/runbook.md")))
                .as("one source of truth: the old runbook only points at the spec")
                .contains("19-microvm-deployment-profile.md").doesNotContain("```");
    }
}
