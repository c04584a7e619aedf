package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Configs for vmm tests, written as RTFS text and validated by the real loader (synthesis takes only a
 * {@code ValidatedConfig}). Every field gets its own line so diagnostics can be checked for positions: agent-id 1,
 * capabilities mode 6, kernel cmdline 12, vcpus 17, proxy_ns 21, cid 24, expect_rootfs_hash 27.
 */
final class TestConfigs {

    static final String SOURCE = "test.rtfs";

    String agentId = "agent.demo";
    String kernelImage = "kernels/vmlinuz-min";
    String cmdline = "console=none";
    String rootfsImage = "images/agent-rootfs.img";
    Boolean ro = true;
    Long vcpus = 1L;
    Long memMb = 256L;
    boolean nicEnabled = true;
    String proxyNs = "egress-proxy-ns";
    boolean vsockEnabled = true;
    Long cid = 3L;
    MountMode capsMount = MountMode.RO;
    boolean attestationEnabled = true;
    String expectHash = "sha256:...";
    /** {@code :tls_pins} of the egress, each as written; none when empty. */
    List<String> tlsPins = List.of();
    /** {@code :network :egress :tls}: null leaves it out (tunnel). */
    String tls = null;

    /** The seed example: NIC via the proxy namespace, vsock cid 3, RO capabilities mount, placeholder hash. */
    static TestConfigs example() {
        return new TestConfigs();
    }

    /** No NIC: the agent has no network at all. */
    static TestConfigs airGapped() {
        TestConfigs c = new TestConfigs();
        c.agentId = "agent.airgapped";
        c.nicEnabled = false;
        c.proxyNs = null;
        return c;
    }

    /** The config as RTFS text, each field on the line the class comment gives. */
    String text() {
        List<String> lines = new ArrayList<>(java.util.Collections.nCopies(28, ""));
        lines.set(0, "(agent.config :version \"0.1\" :agent-id " + str(agentId));
        lines.set(1, " :orchestrator {");
        lines.set(2, "  :isolation {:mode :microvm");
        lines.set(3, "   :fs {:ephemeral true");
        if (capsMount != null) {
            lines.set(4, "    :mounts {");
            lines.set(5, "     :capabilities {:mode :" + capsMount.keyword() + "}}");
        }
        lines.set(6, "   }}}");
        if (nicEnabled) {
            lines.set(7, " :network {:enabled true :egress {:via :proxy :allow-domains [\"example.com\"]"
                    + (tlsPins.isEmpty() ? "" : " :tls_pins [" + String.join(" ", tlsPins.stream().map(TestConfigs::str).toList()) + "]")
                    + (tls == null ? "" : " :tls :" + tls)
                    + "}}");
        }
        lines.set(8, " :microvm {");
        lines.set(9, "  :kernel {");
        lines.set(10, opt("   :image", kernelImage));
        lines.set(11, opt("   :cmdline", cmdline) + "}");
        lines.set(12, "  :rootfs {");
        lines.set(13, opt("   :image", rootfsImage));
        lines.set(14, (ro == null ? "" : "   :ro " + ro) + "}");
        lines.set(15, "  :resources {");
        lines.set(16, vcpus == null ? "" : "   :vcpus " + vcpus);
        lines.set(17, (memMb == null ? "" : "   :mem_mb " + memMb) + "}");
        lines.set(18, "  :devices {:nic {");
        lines.set(19, "   :enabled " + nicEnabled);
        lines.set(20, opt("   :proxy_ns", proxyNs) + "}");
        lines.set(21, "   :vsock {");
        lines.set(22, "    :enabled " + vsockEnabled);
        lines.set(23, (cid == null ? "" : "    :cid " + cid) + "}}");
        lines.set(24, "  :attestation {");
        lines.set(25, "   :enabled " + attestationEnabled);
        lines.set(26, opt("   :expect_rootfs_hash", expectHash) + "}})");
        return String.join("\n", lines) + "\n";
    }

    /** What validation makes of {@link #text()}: present only when it found no errors. */
    Optional<ValidatedConfig> validate() {
        return load().validated();
    }

    ConfigCheckResult load() {
        return ConfigLoader.load(List.of(), new SourceFile(SOURCE, text()));
    }

    /** The validated config; the test fails when validation refuses it. */
    ValidatedConfig build() {
        ConfigCheckResult checked = load();
        assertThat(checked.validated()).as("%s\n%s", checked.diagnostics(), text()).isPresent();
        return checked.validated().get();
    }

    private static String opt(String key, String value) {
        return value == null ? "" : key + " " + str(value);
    }

    private static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
