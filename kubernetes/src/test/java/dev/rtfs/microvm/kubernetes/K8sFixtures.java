package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Configs of the repository, read through the real loader, named by their path from the repo root. */
final class K8sFixtures {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    static final String EXAMPLE = "docs/examples/agent.config.microvm.rtfs";
    static final String TLS = "docs/examples/agent.config.tls.rtfs";
    static final String AIRGAPPED = "vmm/src/test/resources/configs/agent.airgapped.rtfs";
    static final String PLAN = "docs/examples/plan.networked.rtfs";
    static final String DIGEST_IMAGE = "registry.example/rtfs/agent@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private K8sFixtures() {}

    static SourceFile source(String repoPath) {
        try {
            return new SourceFile(repoPath, Files.readString(ROOT.resolve(repoPath)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigCheckResult check(String name, String text) {
        return ConfigLoader.load(List.of(), new SourceFile(name, text));
    }

    static ValidatedConfig valid(String repoPath) {
        ConfigCheckResult r = ConfigLoader.load(List.of(), source(repoPath));
        assertThat(r.validated()).as(r.diagnostics().toString()).isPresent();
        return r.validated().get();
    }

    static ValidatedConfig validText(String text) {
        ConfigCheckResult r = check("inline.rtfs", text);
        assertThat(r.validated()).as(r.diagnostics().toString()).isPresent();
        return r.validated().get();
    }

    /** A valid networked config with the given agent id, resources and allowlist (tunnelled TLS). */
    static String networked(String agentId, int vcpus, int memMb, String domains) {
        return """
                (agent.config
                  :version "0.1.0"
                  :agent-id "%s"
                  :orchestrator {:isolation {:mode :microvm
                                             :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                                 :dlp {:enabled true :policy :lenient}}
                  :network {:enabled true :egress {:via :proxy :allow-domains [%s]}}
                  :microvm {:kernel {:image "k/vmlinux" :cmdline "console=ttyS0 root=/dev/vda quiet"}
                            :rootfs {:image "r/rootfs.img" :ro true}
                            :resources {:vcpus %d :mem_mb %d}
                            :devices {:nic {:enabled true}}})
                """.formatted(agentId, domains, vcpus, memMb);
    }
}
