package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.protocol.Call;
import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import dev.rtfs.microvm.controlplane.protocol.ChunkedResult;
import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.Event;
import dev.rtfs.microvm.controlplane.protocol.GuestMessage;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.ResultChunk;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.LockedCapability;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's contract with a user capability, played over the agent's stdio hook on the host (host busybox, the
 * same binary the guest gets; su to nobody needs root, as the guest's agent has): args on stdin, one JSON value on
 * stdout, exit status, the step's time left, bounded stdout and stderr, the workdir as the only writable place.
 * Every frame passes the host's strict codec. The same contract inside a VM: {@code UserCapabilityBootTest}.
 */
class UserCapabilityAgentTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;
    private Path steps;
    private Path store;
    private Process agent;
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private OutputStream toAgent;

    /**
     * What one call produced: its events (call.started … call.finished), the frames in arrival order (events,
     * chunks, result) and its result, reassembled from its chunks when it came in several.
     */
    record Outcome(List<Event> events, Result result, List<GuestMessage> frames, List<Long> arrivedNanos) {
        List<Event> stderrEvents() {
            return events.stream().filter(e -> e.kind().equals("call.stderr")).toList();
        }
    }

    @BeforeEach
    void startAgent() throws Exception {
        AgentPrerequisites.requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        AgentPrerequisites.requireThat("root".equals(System.getProperty("user.name")),
                "running a capability as nobody (su) needs root, as the guest agent is");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        steps = Files.createDirectories(dir.resolve("steps"));
        store = Files.createDirectories(dir.resolve("caps"));
        capability("wc.ok", """
                #!/bin/sh
                args=$(cat)
                printf '{"args":%s,"cwd":"%s","uid":%s,"step":"%s","seed":"%s","now":"%s","proxy":"%s"}\\n' \\
                  "$args" "$PWD" "$(id -u)" "$RTFS_STEP" "$RTFS_SEED" "$RTFS_NOW_MS" "$HTTPS_PROXY"
                """);
        capability("fails", """
                #!/bin/sh
                echo "first problem" >&2
                echo "second problem" >&2
                echo "the last problem" >&2
                exit 3
                """);
        capability("sleeps", "#!/bin/sh\nsleep 30\necho 1\n");
        capability("prints", """
                #!/bin/sh
                n=$(cat | tr -dc 0-9)
                printf '"'; head -c "$n" /dev/zero | tr '\\0' a; printf '"'
                """);
        capability("floods", "#!/bin/sh\nyes 'stderr flood line that goes on and on' | head -c 20000000 >&2\necho '{}'\n");
        capability("not.json", "#!/bin/sh\necho 'hello, world'\n");
        capability("talks", "#!/bin/sh\necho 'before the nap' >&2\nsleep 2\necho 'after the nap' >&2\necho '{}'\n");
        capability("writes", """
                #!/bin/sh
                r() { if (echo x > "$1") 2>/dev/null; then echo true; else echo false; fi; }
                printf '{"inside":%s,"sibling":%s,"store":%s}' "$(r ./note)" "$(r ../escape)" "$(r "$STORE_FILE")"
                """);
        Files.writeString(store.resolve(ImageTree.CAPABILITY_INDEX), "");
        ImageTree.capabilityIndex(store, List.of("fails", "floods", "not.json", "prints", "sleeps", "talks", "wc.ok", "writes")
                .stream().map(id -> new LockedCapability(id, "run", "sha256:m", "sha256:e", "[]")).toList());
        Path script = dir.resolve("agent.sh");
        Files.write(script, ReferenceAgent.script());
        ProcessBuilder pb = new ProcessBuilder("/bin/busybox", "sh", script.toString());
        pb.environment().put("RTFS_AGENT_PORT", "stdio");
        pb.environment().put("RTFS_AGENT_WORK", Files.createDirectories(dir.resolve("work")).toString());
        pb.environment().put("RTFS_AGENT_SHUTDOWN_WAIT", "2");
        pb.environment().put("RTFS_AGENT_STEPS", steps.toString());
        pb.environment().put("RTFS_AGENT_CAPS", store.toString());
        agent = pb.start();
        toAgent = agent.getOutputStream();
        Thread.ofVirtual().start(() -> pump(agent.getInputStream(), frames, null));
        Thread.ofVirtual().start(() -> pump(agent.getErrorStream(), null, stderr));
        next(Hello.class);
        toAgent.write(CODEC.encode(new Welcome(0)));
        toAgent.flush();
    }

    private void capability(String id, String script) throws IOException {
        Path run = Files.createDirectories(store.resolve(id)).resolve("run");
        Files.writeString(run, script);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void pump(java.io.InputStream in, BlockingQueue<String> lines, StringBuilder text) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (lines != null) lines.add(line);
                if (text != null) synchronized (text) { text.append(line).append('\n'); }
            }
        } catch (IOException e) {
            // the agent ended
        }
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private <T extends GuestMessage> T next(Class<T> type) throws Exception {
        String line = frames.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("a frame from the agent; its log:%n%s", stderr).isNotNull();
        Decoded<GuestMessage> d = CODEC.decodeGuest(line.getBytes(StandardCharsets.UTF_8));
        assertThat(d).as("strictly valid frame: %.300s", line).isInstanceOf(Decoded.Accepted.class);
        GuestMessage m = ((Decoded.Accepted<GuestMessage>) d).message();
        assertThat(m).as("frame %.300s", line).isInstanceOf(type);
        return type.cast(m);
    }

    private Outcome call(String capability, ObjectNode args, long timeLeftMs, Optional<CallDeterminism> det) throws Exception {
        String id = "c" + System.nanoTime();
        toAgent.write(CODEC.encode(new Call(id, "work", capability, args, det, Optional.of(new CallStep(3, timeLeftMs)))));
        toAgent.flush();
        List<Event> events = new ArrayList<>();
        List<GuestMessage> all = new ArrayList<>();
        List<Long> arrived = new ArrayList<>();
        java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
        while (true) {
            String line = frames.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("a frame; agent log:%n%s", stderr).isNotNull();
            Decoded<GuestMessage> d = CODEC.decodeGuest(line.getBytes(StandardCharsets.UTF_8));
            assertThat(d).as("strictly valid frame: %.300s", line).isInstanceOf(Decoded.Accepted.class);
            GuestMessage m = ((Decoded.Accepted<GuestMessage>) d).message();
            all.add(m);
            arrived.add(System.nanoTime());
            if (m instanceof Event e) {
                events.add(e);
                continue;
            }
            if (m instanceof ResultChunk c) {
                assertThat(c.callId()).isEqualTo(id);
                assertThat(c.index()).as("chunks in order").isEqualTo(all.stream().filter(ResultChunk.class::isInstance).count() - 1);
                chunks.writeBytes(c.data());
                continue;
            }
            Result r = m instanceof ChunkedResult done ? reassembled(done, chunks.toByteArray()) : (Result) m;
            assertThat(r.callId()).isEqualTo(id);
            assertThat(events.getFirst().kind()).isEqualTo("call.started");
            assertThat(events.getLast().kind()).isEqualTo("call.finished");
            return new Outcome(events, r, all, arrived);
        }
    }

    private static Result reassembled(ChunkedResult done, byte[] text) throws Exception {
        assertThat(text).hasSize((int) done.bytes());
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text)))
                .isEqualTo(done.sha256());
        return Result.success(done.callId(), JSON.readTree(text));
    }

    private Outcome call(String capability, ObjectNode args) throws Exception {
        return call(capability, args, 20_000, Optional.empty());
    }

    @Test
    void anOkCapabilityGetsItsArgsOnStdinRunsAsNobodyInTheStepWorkdirAndItsStdoutIsTheResult() throws Exception {
        CallDeterminism det = new CallDeterminism(Optional.of("2a"), 3, 0, OptionalLong.of(1_700_000_000_000L));
        Outcome o = call("wc.ok", JSON.createObjectNode().put("text", "a b \"c\" é"), 20_000, Optional.of(det));
        assertThat(o.result().ok()).as(o.result().error()).isTrue();
        assertThat(o.result().value().get("args").get("text").stringValue()).isEqualTo("a b \"c\" é");
        assertThat(o.result().value().get("cwd").stringValue()).isEqualTo(steps.resolve("steps/3").toString());
        assertThat(o.result().value().get("uid").asInt()).isEqualTo(65534);
        assertThat(o.result().value().get("step").stringValue()).isEqualTo("3");
        assertThat(o.result().value().get("seed").stringValue()).isEqualTo("2a");
        assertThat(o.result().value().get("now").stringValue()).isEqualTo("1700000000000");
        assertThat(o.result().value().get("proxy").stringValue()).isEqualTo("http://10.0.2.100:3128");
    }

    @Test
    void aStepWithoutDeterminismGivesTheCapabilityNoSeedAndNoVirtualClock() throws Exception {
        Outcome o = call("wc.ok", JSON.createObjectNode());
        assertThat(o.result().value().get("seed").stringValue()).isEmpty();
        assertThat(o.result().value().get("now").stringValue()).isEmpty();
    }

    @Test
    void aNonZeroExitIsOkFalseWithTheLastStderrLinesWhichAlsoStreamAsEvents() throws Exception {
        Outcome o = call("fails", JSON.createObjectNode());
        assertThat(o.result().ok()).isFalse();
        assertThat(o.result().error()).contains("status 3").contains("the last problem").contains("first problem");
        assertThat(o.stderrEvents()).extracting(e -> e.data().get("line").stringValue())
                .containsExactly("first problem", "second problem", "the last problem");
        assertThat(o.events().getLast().data().get("ok").booleanValue()).isFalse();
    }

    @Test
    void aCapabilityStillRunningWhenTheStepsTimeIsUpIsKilled() throws Exception {
        long start = System.nanoTime();
        Outcome o = call("sleeps", JSON.createObjectNode(), 1_500, Optional.empty());
        assertThat(o.result().ok()).isFalse();
        assertThat(o.result().error()).contains("killed after 2s");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }

    @Test
    void aResultThatFitsOneFrameComesInOneFrame() throws Exception {
        Outcome fits = call("prints", JSON.createObjectNode().put("n", "60000"));
        assertThat(fits.result().ok()).as(fits.result().error()).isTrue();
        assertThat(fits.result().value().stringValue()).hasSize(60_000);
        assertThat(fits.frames()).noneMatch(ResultChunk.class::isInstance);
    }

    @Test
    void aResultOf500KbArrivesIntactInChunks() throws Exception {
        Outcome o = call("prints", JSON.createObjectNode().put("n", "500000"));
        assertThat(o.result().ok()).as(o.result().error()).isTrue();
        assertThat(o.result().value().stringValue()).hasSize(500_000).matches("a+");
        assertThat(o.frames()).filteredOn(ResultChunk.class::isInstance).hasSize(11);
    }

    @Test
    void aResultOfOneMebibyteMinusOneByteArrivesIntact() throws Exception {
        Outcome o = call("prints", JSON.createObjectNode().put("n", String.valueOf(1_048_575 - 2)));
        assertThat(o.result().ok()).as(o.result().error()).isTrue();
        assertThat(o.result().value().stringValue()).hasSize(1_048_573);
        assertThat(JSON.writeValueAsBytes(o.result().value())).hasSize(1_048_575);
    }

    @Test
    void stdoutOfOneMebibytePlusOneByteIsRefused() throws Exception {
        Outcome over = call("prints", JSON.createObjectNode().put("n", String.valueOf(1_048_577 - 2)));
        assertThat(over.result().ok()).isFalse();
        assertThat(over.result().error()).contains("result exceeds 1 MiB");
        assertThat(over.frames()).noneMatch(ResultChunk.class::isInstance);
    }

    @Test
    void stderrLinesArriveAsEventsWhileTheCapabilityStillRuns() throws Exception {
        Outcome o = call("talks", JSON.createObjectNode());
        assertThat(o.result().ok()).as(o.result().error()).isTrue();
        assertThat(o.stderrEvents()).extracting(e -> e.data().get("line").stringValue())
                .containsExactly("before the nap", "after the nap");
        // The capability naps 2 s between its lines: the first line's event must come well before the result.
        long firstLine = o.arrivedNanos().get(o.frames().indexOf(o.stderrEvents().getFirst()));
        long result = o.arrivedNanos().getLast();
        assertThat(TimeUnit.NANOSECONDS.toMillis(result - firstLine)).isGreaterThan(1_500);
    }

    @Test
    void aStderrFloodYieldsAtMostTwentyShortEventsAndTheCallStillAnswers() throws Exception {
        Outcome o = call("floods", JSON.createObjectNode());
        assertThat(o.result().ok()).as(o.result().error()).isTrue();
        assertThat(o.stderrEvents()).hasSizeBetween(1, 20)
                .allSatisfy(e -> assertThat(e.data().get("line").stringValue().length()).isLessThanOrEqualTo(512));
    }

    @Test
    void stdoutThatIsNotOneJsonValueIsRefused() throws Exception {
        Outcome o = call("not.json", JSON.createObjectNode());
        assertThat(o.result().ok()).isFalse();
        assertThat(o.result().error()).contains("not.json: stdout is not one JSON value");
    }

    @Test
    void theWorkdirIsTheOnlyPlaceTheCapabilityWrites() throws Exception {
        Path storeFile = store.resolve("writes/owned-by-root");
        Files.writeString(storeFile, "");
        Files.setPosixFilePermissions(storeFile, PosixFilePermissions.fromString("rw-r--r--"));
        // The capability reads where to try from its args' sibling: the store file's path is passed in the env.
        Outcome o = callWithStoreFile(storeFile);
        assertThat(o.result().ok()).as(o.result().error()).isTrue();
        assertThat(o.result().value().get("inside").booleanValue()).isTrue();
        assertThat(o.result().value().get("sibling").booleanValue()).isFalse();
        assertThat(o.result().value().get("store").booleanValue()).isFalse();
        assertThat(steps.resolve("steps/escape")).doesNotExist();
        assertThat(steps.resolve("steps/3/note")).exists();
    }

    private Outcome callWithStoreFile(Path storeFile) throws Exception {
        // env -i drops the caller's environment; the script names the file itself.
        capability("writes", Files.readString(store.resolve("writes/run")).replace("\"$STORE_FILE\"", "'" + storeFile + "'"));
        return call("writes", JSON.createObjectNode());
    }

    @Test
    void aCapabilityTheImageDoesNotHaveIsUnknown() throws Exception {
        Outcome o = call("not.packed", JSON.createObjectNode());
        assertThat(o.result().ok()).isFalse();
        assertThat(o.result().error()).isEqualTo("unknown capability");
    }
}
