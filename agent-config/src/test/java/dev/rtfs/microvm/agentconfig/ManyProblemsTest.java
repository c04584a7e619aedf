package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem in one run, in the documented order (file, line, column, code), identical across runs. */
class ManyProblemsTest {

    static final String MANY = """
            (agent.config
              :version 1
              :agent_id "Agent One"
              :orchestrator {:isolation {:mode :container
                                         :fs {:ephemeral false
                                              :mounts {:capabilities {:mode :rw}}}}
                             :dlp {:enabled true :policy :lenient}}
              :network {:enabled false
                        :egress {:via :none :allow-domains ["Example.com" "*" "10.0.0.1"]
                                 :tls_pins ["sha256/abc"] :mtsl true}}
              :microvm {:kernel {:cmdline "console=none"}
                        :rootfs {:image "r" :ro false}
                        :resources {:vcpus 0 :mem_mb 32}
                        :devices {:nic {:enabled true} :vsock {:enabled true :cid 2}}
                        :attestation {:enabled true :expect_rootfs_hash "md5:1234"}}
              :colour :blue)
            """;

    @Test
    void reportsAllProblemsInOrder() {
        ConfigCheckResult r = Fixtures.check(MANY);
        List<String> seen = r.diagnostics().stream()
                .map(d -> d.span().line() + ":" + d.span().column() + " " + d.code() + " " + d.path()).toList();
        assertThat(seen).containsExactly(
                "2:12 CONFIG_TYPE version",
                "3:3 CONFIG_KEY_ALIAS agent_id",
                "3:13 CONFIG_TYPE agent_id",
                "4:36 MICROVM_ISOLATION_MODE orchestrator.isolation.mode",
                "5:46 MICROVM_FS_EPHEMERAL orchestrator.isolation.fs.ephemeral",
                "6:65 MICROVM_CAPS_MOUNT_RO orchestrator.isolation.fs.mounts.capabilities.mode",
                "7:46 DLP_NOT_STRICT orchestrator.dlp.policy",
                "8:22 MICROVM_NIC_EGRESS network.enabled",
                "9:27 MICROVM_NIC_EGRESS network.egress.via",
                "9:49 EGRESS_DOMAIN_INVALID network.egress.allow-domains",
                "9:63 EGRESS_DOMAIN_INVALID network.egress.allow-domains",
                "9:67 EGRESS_DOMAIN_INVALID network.egress.allow-domains",
                "10:33 EGRESS_TLS_PIN_FORMAT network.egress.tls_pins",
                "10:47 CONFIG_UNKNOWN_KEY network.egress.mtsl",
                "11:13 CONFIG_REQUIRED microvm.kernel.image",
                "12:37 MICROVM_ROOTFS_RW microvm.rootfs.ro",
                "13:32 MICROVM_VCPUS microvm.resources.vcpus",
                "13:42 MICROVM_MEM microvm.resources.mem_mb",
                "14:71 MICROVM_VSOCK_CID microvm.devices.vsock.cid",
                "15:61 MICROVM_ATTESTATION_HASH_FORMAT microvm.attestation.expect_rootfs_hash",
                "16:3 CONFIG_UNKNOWN_KEY colour");
        long distinctCodes = r.diagnostics().stream().map(Diagnostic::code).distinct().count();
        assertThat(distinctCodes).isGreaterThanOrEqualTo(10);
        assertThat(r.diagnostics()).isSortedAccordingTo(Diagnostic.ORDER);
        // The unknown key at the top level is only a warning; the one inside :network is an error.
        assertThat(r.diagnostics().getLast().isError()).isFalse();
    }

    @Test
    void identicalAcrossRuns() {
        ConfigCheckResult first = Fixtures.check(MANY);
        for (int i = 0; i < 5; i++) {
            assertThat(Fixtures.check(MANY).diagnostics()).isEqualTo(first.diagnostics());
        }
    }
}
