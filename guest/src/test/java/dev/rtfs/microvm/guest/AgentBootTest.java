package dev.rtfs.microvm.guest;

import static dev.rtfs.microvm.guest.AgentPrerequisites.requireThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.AgentChannel;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.qemu.Accelerator;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference agent end to end, in ONE real QEMU boot (TCG, the Debian cloud kernel, busybox-static): the real
 * {@link ControlServer} listens on the virtio-serial socket, the agent says hello, answers calls (echo and text.echo
 * with tricky strings, fs.read on the read-only rootfs and capability store, refusals, an unknown capability,
 * http.get through a loopback stand-in for the egress proxy), survives QEMU's connection breaking mid-call (a relay
 * between QEMU and the same server) and the host's server being replaced, and on shutdown waits for its last ack
 * and powers off; every event is then durable, contiguous and the chain verifies.
 */
class AgentBootTest {

    private static final Logger LOG = LoggerFactory.getLogger(AgentBootTest.class);
    private static final String AGENT_ID = "agent.boot-test";
    private static final long CALL_SECONDS = 60;
    private static final Duration HELLO_DEADLINE = Duration.ofSeconds(90);
    private static final int BOOT_ATTEMPTS = 2;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Quotes, backslashes, every kind of control character, non-ASCII and astral code points, JSON look-alikes. */
    static final String TRICKY = "quote \" backslash \\ slash / tab \t cr \r nl \n bell \u0007 esc \u001b del \u007f"
            + " é ü ✓ 😀 {\"a\":[1,\"}\"]} \\u0041 %s $HOME `x` 'single'\n\nend";
    static final String TRICKY_FILE = "we\"ird \\ naïve ✓.txt";
    static final String FILE_TEXT = "line one\n\ttabbed \"quoted\" back\\slash\n\u0001ctl ✓ 😀\r\nno final newline";
    static final String PROXY_BODY = "proxied \"body\" ✓\nsecond line\n";

    @TempDir Path dir;

    @Test
    void agentServesCallsThroughTheRealControlPlaneAndPowersOffWithADurableChain() throws Exception {
        AgentPrerequisites.Found found = AgentPrerequisites.check();
        requireThat(found != null, "prerequisites missing");

        Path images = Files.createDirectories(dir.resolve("images"));
        Path rootfsTree = Files.createDirectories(dir.resolve("rootfs-tree"));
        String marker = "RTFS-AGENT-MARKER " + System.nanoTime();
        Files.writeString(rootfsTree.resolve("marker.txt"), marker + "\n");
        Files.writeString(rootfsTree.resolve(TRICKY_FILE), FILE_TEXT);
        Files.write(rootfsTree.resolve("binary.bin"), new byte[] {1, 0, 2});
        Files.write(rootfsTree.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
        Files.createSymbolicLink(rootfsTree.resolve("escape"), Path.of("/init"));
        Path capsTree = Files.createDirectories(dir.resolve("caps-tree"));
        Files.writeString(capsTree.resolve("cap.txt"), "capability store ✓\n");
        Path rootfs = AgentPrerequisites.ext4(rootfsTree, images.resolve("agent-rootfs.img"));
        AgentPrerequisites.ext4(capsTree, images.resolve("capabilities.img")); // the default next to the rootfs

        GuestInitramfs guest = new GuestInitramfs(GuestInitramfs.DEBIAN_BUSYBOX, found.modules());
        Path initrd = dir.resolve("agent.cpio");
        try (OutputStream o = Files.newOutputStream(initrd)) {
            guest.write(ReferenceAgent.init(guest), Map.of(ReferenceAgent.PATH_IN_IMAGE, ReferenceAgent.script()), o);
        }

        try (AgentProxyStandIn proxy = AgentProxyStandIn.start(PROXY_BODY)) {
            Path run = Files.createDirectories(dir.resolve("run"));
            SynthOptions options = SynthOptions.defaults(run).withInitrd(initrd).withProxyPort(proxy.port());
            QemuSpec spec = synthesize(found.kernel(), rootfs, options);
            Path chainDir = dir.resolve("chain");
            List<String> steps = new ArrayList<>();
            int exit;
            String console;
            long durable;
            Path hostSocket = run.resolve("ctl-host.sock");
            try (ChainStore chain = ChainStore.open(chainDir, ChainOptions.defaults());
                 ControlServer first = server(hostSocket, chain);
                 AgentSocketRelay relay = AgentSocketRelay.start(Path.of(spec.controlSocket()), hostSocket);
                 AgentGuestProcess vm = bootUntilHello(spec, first.agent(AGENT_ID))) {
                try {
                    Hello h = first.agent(AGENT_ID).awaitHello().join();
                    assertThat(h.agentId()).isEqualTo(AGENT_ID);
                    assertThat(h.bootId()).matches("[0-9a-f-]{36}");
                    assertThat(h.lastAckedSeq()).isZero();
                    long callsStart = System.nanoTime();
                    exerciseCapabilities(first.agent(AGENT_ID), steps, marker, proxy);
                    LOG.info("{} calls answered in {} ms", steps.size(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callsStart));

                    // QEMU's connection breaks while the agent is busy in a slow http.get (same server): its next
                    // write blocks until QEMU has reconnected, reaches the new connection before any hello and is
                    // refused; the agent says hello again, resends what is not durable and its last result, and
                    // the pending call completes.
                    String stream = AGENT_ID + "/" + h.bootId();
                    long started = 2L * steps.size() + 1;
                    steps.add("s-http-slow");
                    CompletableFuture<Result> slow = first.agent(AGENT_ID).call("s-http-slow", "http.get",
                            JSON.createObjectNode().put("url", "http://origin.example.test/slow"));
                    awaitDurable(chain, stream, started); // call.started is in: the agent is inside wget now
                    relay.breakFor(AgentProxyStandIn.SLOW.plusSeconds(2));
                    Result slowResult = slow.get(CALL_SECONDS, TimeUnit.SECONDS);
                    assertThat(slowResult.ok()).as("slow http.get %s", slowResult).isTrue();
                    assertThat(slowResult.value().get("body").stringValue()).isEqualTo(PROXY_BODY);
                    assertThat(proxy.requestLine()).isEqualTo("GET http://origin.example.test/slow HTTP/1.1");
                    assertThat(first.agent(AGENT_ID).awaitHello().get(10, TimeUnit.SECONDS).bootId()).isEqualTo(h.bootId());

                    // The host goes away and comes back on the same socket: QEMU reconnects, the agent says hello
                    // again with what it saw acknowledged, and goes on serving calls.
                    long emitted = 2L * steps.size();
                    first.close();
                    try (ControlServer second = server(hostSocket, chain)) {
                        AgentChannel again = second.agent(AGENT_ID);
                        Hello h2 = again.awaitHello().get(60, TimeUnit.SECONDS);
                        assertThat(h2.bootId()).isEqualTo(h.bootId());
                        assertThat(h2.lastAckedSeq()).isBetween(0L, emitted);
                        Result after = call(again, steps, "s-after-reconnect", "echo", JSON.createObjectNode().put("x", 1));
                        assertThat(after.ok()).isTrue();

                        again.shutdown("test finished");
                        exit = vm.awaitExit(Duration.ofSeconds(60));
                        console = vm.console();
                        durable = chain.lastDurableOriginSeq(AGENT_ID + "/" + h.bootId());
                    }
                } catch (Throwable t) {
                    throw new AssertionError(t + "\nguest console:\n" + vm.console(), t);
                }
            }
            LOG.info("guest console:\n{}", console);
            assertThat(exit).as("QEMU exit code; console:%n%s", console).isZero();
            assertThat(console).contains(ReferenceAgent.STOPPED_MARKER)
                    .contains("before hello") // the write that blocked through the broken connection
                    .contains("control port closed; waiting for the host to reconnect") // the restarted server
                    .contains("rtfs-agent: all " + 2 * steps.size() + " events acknowledged");

            // Every event is durable, in order, contiguous from 1, two per call with the call's step.
            List<ChainRecord> records = new ArrayList<>();
            VerifyReport report = ChainVerifier.verify(chainDir, null, records::add);
            assertThat(report).isInstanceOf(VerifyReport.Valid.class);
            assertThat(durable).isEqualTo(2L * steps.size());
            assertThat(records).hasSize(2 * steps.size());
            for (int i = 0; i < records.size(); i++) {
                ChainRecord r = records.get(i);
                assertThat(r.agentId()).isEqualTo(AGENT_ID);
                assertThat(r.origin().seq()).isEqualTo(i + 1L);
                assertThat(r.step()).isEqualTo(steps.get(i / 2));
                assertThat(r.kind()).isEqualTo(i % 2 == 0 ? "call.started" : "call.finished");
            }
            assertThat(records.get(records.size() - 1).data().get("ok").booleanValue()).isTrue();
        }
    }

    private static void exerciseCapabilities(AgentChannel agent, List<String> steps, String marker,
                                             AgentProxyStandIn proxy) throws Exception {
        // echo: the args object comes back exactly, whatever it holds.
        ObjectNode args = JSON.createObjectNode().put("text", TRICKY).put("nul", "a\u0000b").put("n", 12.5);
        args.putArray("list").add(1).add(true).addNull().addObject().put("k", "}\"]");
        Result echo = call(agent, steps, "s-echo", "echo", args);
        assertThat(echo.ok()).isTrue();
        assertThat(echo.value()).isEqualTo(args);

        // text.echo: decoded to bytes in the guest and encoded again by the agent's own JSON helpers.
        Result text = call(agent, steps, "s-text \"quoted\" ✓", "text.echo", JSON.createObjectNode().put("text", TRICKY));
        assertThat(text.ok()).as("text.echo %s", text).isTrue();
        assertThat(text.value().get("text").stringValue()).isEqualTo(TRICKY);
        assertThat(text.value().get("bytes").longValue()).isEqualTo(TRICKY.getBytes(StandardCharsets.UTF_8).length);

        assertThat(read(agent, steps, "/mnt/root/marker.txt").value().stringValue()).isEqualTo(marker + "\n");
        Result tricky = read(agent, steps, "/mnt/root/" + TRICKY_FILE);
        assertThat(tricky.ok()).as("fs.read tricky %s", tricky).isTrue();
        assertThat(tricky.value().stringValue()).isEqualTo(FILE_TEXT);
        assertThat(read(agent, steps, "/agent/capabilities/cap.txt").value().stringValue())
                .isEqualTo("capability store ✓\n");
        assertRefused(read(agent, steps, "/etc/passwd"), "only files under");
        assertRefused(read(agent, steps, "/mnt/root/../init"), ". or ..");
        assertRefused(read(agent, steps, "/mnt/root/escape"), "leaves the readable roots");
        assertRefused(read(agent, steps, "/mnt/root/missing.txt"), "no such file");
        assertRefused(read(agent, steps, "/mnt/root/binary.bin"), "NUL");
        assertRefused(read(agent, steps, "/mnt/root/latin1.txt"), "not UTF-8");

        Result unknown = call(agent, steps, "s-unknown", "rm.rf", JSON.createObjectNode());
        assertThat(unknown.ok()).isFalse();
        assertThat(unknown.error()).isEqualTo("unknown capability");

        Result get = call(agent, steps, "s-http", "http.get",
                JSON.createObjectNode().put("url", "http://origin.example.test/path?q=1"));
        assertThat(get.ok()).as("http.get %s", get).isTrue();
        assertThat(get.value().get("status").intValue()).isEqualTo(200);
        assertThat(get.value().get("body").stringValue()).isEqualTo(PROXY_BODY);
        assertThat(proxy.requestLine()).isEqualTo("GET http://origin.example.test/path?q=1 HTTP/1.1");
        Result missing = call(agent, steps, "s-http-404", "http.get",
                JSON.createObjectNode().put("url", "http://origin.example.test/missing"));
        assertThat(missing.ok()).as("http.get 404 %s", missing).isTrue();
        assertThat(missing.value().get("status").intValue()).isEqualTo(404);
        assertThat(missing.value().get("body").stringValue()).isEmpty();
        assertThat(proxy.requestLine()).isEqualTo("GET http://origin.example.test/missing HTTP/1.1");
        assertRefused(call(agent, steps, "s-https", "http.get",
                JSON.createObjectNode().put("url", "https://origin.example.test/")),
                "https:// and http.post need the Debian userland (curl); this image was built with --busybox-only");
    }

    /**
     * Boots until the agent's hello arrives. Under TCG a boot can hang early when the host is busy (DESIGN §7):
     * a boot without hello by the deadline is killed and started again once, and the retry is logged.
     */
    private static AgentGuestProcess bootUntilHello(QemuSpec spec, AgentChannel agent) throws Exception {
        for (int attempt = 1; ; attempt++) {
            CompletableFuture<Hello> hello = agent.awaitHello();
            long start = System.nanoTime();
            AgentGuestProcess vm = AgentGuestProcess.start(spec.argv());
            try {
                hello.get(HELLO_DEADLINE.toSeconds(), TimeUnit.SECONDS);
                LOG.info("boot-to-hello: {} ms (accelerator {}, attempt {})",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), spec.accelerator(), attempt);
                return vm;
            } catch (TimeoutException e) {
                String console = vm.console();
                vm.close();
                if (attempt == BOOT_ATTEMPTS) {
                    throw new AssertionError("no hello within " + HELLO_DEADLINE + " in " + attempt
                            + " boots; last console:\n" + console);
                }
                LOG.warn("no hello within {} (boot attempt {}); killing the guest and booting again; console:\n{}",
                        HELLO_DEADLINE, attempt, console);
            }
        }
    }

    private static QemuSpec synthesize(Path kernel, Path rootfs, SynthOptions options) {
        String config = """
                (agent.config
                  :version "0.1.0"
                  :agent-id "%s"
                  :orchestrator {:isolation {:mode :microvm
                                             :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                                 :dlp {:enabled true :policy :strict}}
                  :network {:enabled true
                            :egress {:via :proxy :allow-domains ["origin.example.test"]}}
                  :microvm {:kernel {:image "%s" :cmdline "console=ttyS0 %s"}
                            :rootfs {:image "%s" :ro true}
                            :resources {:vcpus 1 :mem_mb 256}
                            :devices {:nic {:enabled true :proxy_ns "egress-proxy-ns"}
                                      :vsock {:enabled true :cid 3}}
                            :attestation {:enabled true :expect_rootfs_hash "sha256:..."}})
                """.formatted(AGENT_ID, kernel, ReferenceAgent.kernelArg(AGENT_ID), rootfs);
        ConfigCheckResult checked = ConfigLoader.load(List.of(), new SourceFile("agent-boot-test.rtfs", config));
        assertThat(checked.valid()).as("config: %s", checked.diagnostics()).isTrue();
        SynthResult<QemuSpec> result = new VmSynthesizer(p -> "unused", () -> Accelerator.TCG)
                .qemu(checked.validated().orElseThrow(), options);
        assertThat(result).as("synth %s", result).isInstanceOf(SynthResult.Synthesized.class);
        QemuSpec spec = ((SynthResult.Synthesized<QemuSpec>) result).spec();
        assertThat(String.join(" ", spec.argv())).contains(ReferenceAgent.kernelArg(AGENT_ID));
        return spec;
    }

    private static ControlServer server(Path socket, ChainStore chain) throws IOException {
        return new ControlServer(ListeningTransport.virtioSerial(socket), chain,
                new AdmissionCache(16, 1 << 20), ControlServerOptions.defaults().forAgent(AGENT_ID)).start();
    }

    /** Waits (bounded) until the chain holds the agent's events up to {@code seq}. */
    private static void awaitDurable(ChainStore chain, String stream, long seq) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_SECONDS);
        while (chain.lastDurableOriginSeq(stream) < seq) {
            assertThat(System.nanoTime()).as("event %d of %s durable in time", seq, stream).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private static Result call(AgentChannel agent, List<String> steps, String step, String capability, JsonNode args)
            throws Exception {
        steps.add(step);
        return agent.call(step, capability, args).get(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private static Result read(AgentChannel agent, List<String> steps, String path) throws Exception {
        return call(agent, steps, "s-read " + path, "fs.read", JSON.createObjectNode().put("path", path));
    }

    private static void assertRefused(Result r, String errorPart) {
        assertThat(r.ok()).as("%s", r).isFalse();
        assertThat(r.error()).contains(errorPart);
    }
}
