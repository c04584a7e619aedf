package dev.rtfs.microvm.rtfslang;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Valid RTFS files the fuzzer mutates: the examples of DESIGN §3/§4/§6 (plan, agent config, macros). */
final class FuzzCorpus {

    private FuzzCorpus() { }

    /** DESIGN §6, verbatim. */
    static final String PLAN = """
            (plan
              ^{:effects [[:network {:domains ["api.example.com"] :methods [:GET]}]
                          [:fs {:paths ["/tmp/agent/out"] :modes [:write]}]]
                :resources {:max_time_ms 30000}
                :determinism {:time :deterministic :random {:seed "0x2a"}}}
              :program
              (do
                (step "Fetch" ^{:effects [[:network {:domains ["api.example.com"] :methods [:GET]}]]}
                  (call :http.get {:url "http://api.example.com/items"}))
                (step "Store" ^{:effects [[:fs {:paths ["/tmp/agent/out"] :modes [:write]}]]}
                  (call :fs.write {:path "/tmp/agent/out/items.json" :content "…"}))))
            """;

    /** An agent config in the shape of DESIGN §4, with comments, commas and CRLF-free layout. */
    static final String AGENT_CONFIG = """
            ;; Minimal MicroVM agent.config
            #| proxy-only egress, read-only capabilities |#
            (agent.config
              :version "0.1"
              :agent-id "agent.microvm-01"
              :profile :microvm
              :features [:network "llm"]
              :orchestrator {:isolation {:mode :microvm
                                         :fs {:ephemeral true
                                              :mounts {:capabilities {:mode :ro}}}}
                             :dlp {:enabled true :policy :strict}}
              :network {:enabled true
                        :egress {:via :proxy
                                 :allow-domains ["api.example.com" "*.example.org"]
                                 :mtls true
                                 :tls_pins ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]}}
              :microvm {:kernel {:image "/images/vmlinux" :cmdline "console=ttyS0 reboot=k panic=1"}
                        :rootfs {:image "/images/rootfs.ext4" :ro true}
                        :resources {:vcpus 2, :mem_mb 256}
                        :devices {:nic {:enabled true :proxy_ns "egress"} :vsock {:enabled true :cid 3}}
                        :attestation {:enabled true :expect_rootfs_hash "sha256:..."}}
              :governance {:policies {:default {:risk_tier :low :requires_approvals 0
                                                :budgets {:max_cost_usd 1.5 :token_budget 1e5}}}}
              #_ :marketplace #_ {:registry_paths []}
              :causal_chain {:storage {:mode :file :path "/var/lib/agent/chain.log" :buffer_local true}})
            """;

    /** Profile macros as a user writes them: defn, let, threading, rest args, metadata. */
    static final String MACROS = """
            ; profile macros
            (defn profile:microvm-min [id & {:as opts}]
              (agent.config :version "1" :agent-id id
                            :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true}}}))

            (defn ^:private with-egress [cfg domains]
              (-> cfg
                  (assoc-in [:network :enabled] true)
                  (assoc-in [:network :egress] {:via :proxy :allow-domains domains})))

            (defn profile:microvm-networked [id domains]
              (let [base (profile:microvm-min id)]
                (cond (nil? domains) base
                      (vector? domains) (with-egress base domains)
                      true (with-egress base [domains]))))

            (def limits {:vcpus 2 :mem_mb 256 :ratio -2.5E-3 :inf ##Inf :nan ##NaN :min -9223372036854775808})
            (def tags #{:a :b "c" 1 2.0 nil true false})
            (profile:microvm-networked "agent-1" ["api.example.com"])
            """;

    static final List<String> FILES = List.of(PLAN, AGENT_CONFIG, MACROS);

    /** The repository root, passed by surefire (see the parent pom), or null when run outside Maven. */
    static Path repositoryRoot() {
        String root = System.getProperty("rtfs.repo.root");
        return root == null ? null : Path.of(root);
    }

    /** The .rtfs examples under docs/ (the seed's example config, profile macros, plans); empty if not found. */
    static List<String> repositoryExamples() {
        Path root = repositoryRoot();
        if (root == null || !Files.isDirectory(root.resolve("docs"))) return List.of();
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            return files.filter(f -> f.toString().endsWith(".rtfs")).sorted().map(FuzzCorpus::readString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
