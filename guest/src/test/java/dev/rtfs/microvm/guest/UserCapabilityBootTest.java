package dev.rtfs.microvm.guest;

import static dev.rtfs.microvm.guest.AgentPrerequisites.requireThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.controlplane.chain.ChainEntry;
import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.ValueFiles;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.AgentChannel;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.LockedCapability;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.qemu.Accelerator;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * User capabilities in ONE real QEMU boot (TCG, the Debian cloud kernel, the image's own initramfs files and a
 * capability store with its index, as {@code image build} packs them): the agent runs a package as nobody in the
 * step's workdir with the args on stdin; the workdir is the only place it can write; a capability past the step's
 * time left is killed; a failing one reports its stderr (also as a call.stderr event in the chain); an unpacked one
 * is unknown; a 900 KB result arrives in chunks and is kept in the chain as a hashed value file. The contract's
 * bounds (1 MiB, floods, non-JSON, live stderr) are covered on the host by {@link UserCapabilityAgentTest}.
 */
class UserCapabilityBootTest {

    private static final String AGENT_ID = "agent.caps-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;

    private static void capability(Path store, String id, String script) throws Exception {
        Path run = Files.createDirectories(store.resolve(id)).resolve("run");
        Files.writeString(run, script);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void userCapabilitiesRunAsNobodyInTheirWorkdirBoundedByTheStepsTime() throws Exception {
        AgentPrerequisites.Found found = AgentPrerequisites.check();
        requireThat(found != null, "prerequisites missing");
        Path images = Files.createDirectories(dir.resolve("images"));
        Path rootfsTree = Files.createDirectories(dir.resolve("rootfs-tree"));
        Files.writeString(rootfsTree.resolve("marker.txt"), "rootfs\n");
        Path rootfs = AgentPrerequisites.ext4(rootfsTree, images.resolve("agent-rootfs.img"));
        Path store = Files.createDirectories(dir.resolve("caps-tree"));
        capability(store, "text.wordcount", """
                #!/bin/sh
                n=$(cat | wc -w)
                printf '{"words":%s,"uid":%s,"cwd":"%s","step":"%s"}' "$n" "$(id -u)" "$PWD" "$RTFS_STEP"
                """);
        capability(store, "probe.writes", """
                #!/bin/sh
                r() { if (echo x > "$1") 2>/dev/null; then echo true; else echo false; fi; }
                printf '{"inside":%s,"sibling":%s,"tmp":%s,"store":%s}' "$(r ./note)" "$(r ../escape)" \\
                  "$(r /tmp/escape)" "$(r /agent/capabilities/escape)"
                """);
        capability(store, "slow.sleep", "#!/bin/sh\nsleep 60\necho 1\n");
        capability(store, "always.fails", "#!/bin/sh\necho 'bad input: no text' >&2\nexit 2\n");
        capability(store, "big.result", "#!/bin/sh\nprintf '\"'; head -c 900000 /dev/zero | tr '\\0' b; printf '\"'\n");
        ImageTree.capabilityIndex(store, List.of("always.fails", "big.result", "probe.writes", "slow.sleep", "text.wordcount").stream()
                .map(id -> new LockedCapability(id, "run", "sha256:m", "sha256:e", "[]")).toList());
        ImageTree.normalize(store);
        AgentPrerequisites.ext4(store, images.resolve("capabilities.img"));

        GuestInitramfs guest = new GuestInitramfs(GuestInitramfs.DEBIAN_BUSYBOX, found.modules());
        Path initrd = dir.resolve("agent.cpio");
        try (OutputStream o = Files.newOutputStream(initrd)) {
            guest.write(ReferenceAgent.init(guest), ReferenceAgent.initramfsFiles(), o);
        }
        Path run = Files.createDirectories(dir.resolve("run"));
        QemuSpec spec = synthesize(found.kernel(), rootfs, SynthOptions.defaults(run).withInitrd(initrd));
        try (ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
             ControlServer server = new ControlServer(ListeningTransport.virtioSerial(Path.of(spec.controlSocket())),
                     chain, new AdmissionCache(16, 1 << 20), ControlServerOptions.defaults().forAgent(AGENT_ID)).start()) {
            AgentChannel agent = server.agent(AGENT_ID);
            var hello = agent.awaitHello();
            try (AgentGuestProcess vm = AgentGuestProcess.start(spec.argv())) {
                Hello h = hello.get(90, TimeUnit.SECONDS);
                assertThat(h.agentId()).isEqualTo(AGENT_ID);

                Result counted = call(agent, "text.wordcount", 30_000, "{\"text\":\"three small words\"}");
                assertThat(counted.ok()).as("%s%nconsole:%n%s", counted, vm.console()).isTrue();
                assertThat(counted.value().get("uid").asInt()).isEqualTo(65534);
                assertThat(counted.value().get("cwd").stringValue()).isEqualTo("/tmp/agent/steps/2");
                assertThat(counted.value().get("step").stringValue()).isEqualTo("2");
                assertThat(counted.value().get("words").asInt()).isEqualTo(3); // {"text":"three small words"} split on spaces

                Result writes = call(agent, "probe.writes", 30_000, "{}");
                assertThat(writes.ok()).as("%s", writes).isTrue();
                assertThat(writes.value().toString())
                        .isEqualTo("{\"inside\":true,\"sibling\":false,\"tmp\":false,\"store\":false}");

                long start = System.nanoTime();
                Result slow = call(agent, "slow.sleep", 2_000, "{}");
                assertThat(slow.ok()).isFalse();
                assertThat(slow.error()).contains("killed after 2s");
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);

                Result failed = call(agent, "always.fails", 30_000, "{}");
                assertThat(failed.ok()).isFalse();
                assertThat(failed.error()).contains("exited with status 2").contains("bad input: no text");

                Result unknown = call(agent, "not.packed", 30_000, "{}");
                assertThat(unknown.error()).isEqualTo("unknown capability");

                // A 900 KB result crosses the control port as result_chunk frames and is kept in the chain as a
                // value file its record hashes (what the supervisor's journal does with a large value).
                long bigStart = System.nanoTime();
                Result big = call(agent, "big.result", 60_000, "{}");
                long bigMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bigStart);
                assertThat(big.ok()).as("%.300s", big).isTrue();
                assertThat(big.value().stringValue()).hasSize(900_000).matches("b+");
                System.out.printf("900 KB user capability result over the control port (TCG): %d ms%n", bigMs);
                var ref = ValueFiles.storeIfLarge(chain.directory(), big.value()).orElseThrow();
                var data = JSON.createObjectNode();
                data.putArray("calls").addObject().put("capability", "big.result").set(ValueFiles.REF, ref);
                data.putArray(ValueFiles.LISTED).add(ref);
                chain.append(new ChainEntry("step.finished", AGENT_ID, "plan-boot", "step-2", data, null)).join();
                assertThat(ValueFiles.read(chain.directory(), ref)).isEqualTo(big.value());

                // One measurement, logged, not asserted: a built-in's round trip vs a user capability's.
                long builtIn = medianMicros(agent, "echo", 7);
                long user = medianMicros(agent, "text.wordcount", 7);
                System.out.printf("call latency (median of 7, TCG): echo %d us, user capability %d us%n", builtIn, user);
            }
        }
        List<ChainRecord> records = new java.util.ArrayList<>();
        assertThat(ChainVerifier.verify(dir.resolve("chain"), null, records::add)).isInstanceOf(VerifyReport.Valid.class);
        assertThat(records).anyMatch(r -> r.kind().equals("step.finished") && r.data().has(ValueFiles.LISTED));
        assertThat(records).anyMatch(r -> r.kind().equals("call.stderr")
                && r.data().get("line").stringValue().equals("bad input: no text"));
    }

    private static long medianMicros(AgentChannel agent, String capability, int n) throws Exception {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            assertThat(call(agent, capability, 30_000, "{\"text\":\"a b\"}").ok()).isTrue();
            t[i] = (System.nanoTime() - start) / 1000;
        }
        java.util.Arrays.sort(t);
        return t[n / 2];
    }

    private static Result call(AgentChannel agent, String capability, long timeLeftMs, String args) throws Exception {
        return agent.call("step-2", capability, JSON.readTree(args), Optional.empty(),
                Optional.of(new CallStep(2, timeLeftMs))).get(60, TimeUnit.SECONDS);
    }

    private static QemuSpec synthesize(Path kernel, Path rootfs, SynthOptions options) {
        String config = """
                (agent.config
                  :version "0.1.0"
                  :agent-id "%s"
                  :orchestrator {:isolation {:mode :microvm
                                             :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                                 :dlp {:enabled true :policy :strict}}
                  :network {:enabled false}
                  :microvm {:kernel {:image "%s" :cmdline "console=ttyS0 %s"}
                            :rootfs {:image "%s" :ro true}
                            :resources {:vcpus 1 :mem_mb 256}
                            :devices {:vsock {:enabled true :cid 3}}})
                """.formatted(AGENT_ID, kernel, ReferenceAgent.kernelArg(AGENT_ID), rootfs);
        ConfigCheckResult checked = ConfigLoader.load(List.of(), new SourceFile("caps-boot-test.rtfs", config));
        assertThat(checked.valid()).as("config: %s", checked.diagnostics()).isTrue();
        SynthResult<QemuSpec> result = new VmSynthesizer(p -> "unused", () -> Accelerator.TCG)
                .qemu(checked.validated().orElseThrow(), options);
        assertThat(result).as("synth %s", result).isInstanceOf(SynthResult.Synthesized.class);
        return ((SynthResult.Synthesized<QemuSpec>) result).spec();
    }
}
