package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test inputs: the repo's docs examples and small configs checked in-process. */
final class Fixtures {
    private Fixtures() {}

    static final String EXAMPLE = "docs/examples/agent.config.microvm.rtfs";
    static final String MACROS = "docs/rtfs-2.0/specs-incoming/examples/macros.rtfs";

    /** The repo root: the rtfs.repo.root system property (surefire) or the nearest parent holding docs/. */
    static Path repoRoot() {
        String prop = System.getProperty("rtfs.repo.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "docs"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/examples"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root (docs/examples) from " + Path.of("").toAbsolutePath());
    }

    /** A docs file as a SourceFile named by its repo-relative path. */
    static SourceFile doc(String relative) {
        try {
            return new SourceFile(relative, Files.readString(repoRoot().resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigCheckResult check(String text) {
        return ConfigLoader.load(List.of(), new SourceFile("test.rtfs", text));
    }

    static ConfigCheckResult checkWithMacros(String text) {
        return ConfigLoader.load(List.of(doc(MACROS)), new SourceFile("call.rtfs", text));
    }

    static List<String> codes(ConfigCheckResult r) {
        return r.diagnostics().stream().map(d -> d.code().name()).toList();
    }

    /** A valid MicroVM config with one line per field, so tests can break exactly one thing with replace(). */
    static final String VALID = """
            (agent.config
              :version "1"
              :agent-id "agent.a"
              :orchestrator {:isolation {:mode :microvm
                                         :fs {:ephemeral true
                                              :mounts {:capabilities {:mode :ro}}}}
                             :dlp {:enabled true
                                   :policy :strict}}
              :network {:enabled true
                        :egress {:via :proxy
                                 :allow-domains ["example.com"]
                                 :mtls true
                                 :tls_pins ["sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]}}
              :microvm {:kernel {:image "vmlinuz"
                                 :cmdline "console=none"}
                        :rootfs {:image "rootfs.img"
                                 :ro true}
                        :resources {:vcpus 1
                                    :mem_mb 256}
                        :devices {:nic {:enabled true
                                        :proxy_ns "egress-proxy-ns"}
                                  :vsock {:enabled true
                                          :cid 3}}
                        :attestation {:enabled true
                                      :expect_rootfs_hash "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}})
            """;
}
