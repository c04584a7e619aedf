package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.protocol.Ack;
import dev.rtfs.microvm.controlplane.protocol.Call;
import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.DeterministicRandom;
import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.ErrorReply;
import dev.rtfs.microvm.controlplane.protocol.Event;
import dev.rtfs.microvm.controlplane.protocol.GuestMessage;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.HostMessage;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.Shutdown;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.guest.image.GuestInitramfs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The agent's protocol edge cases, played by the test as the host over the agent's stdin/stdout (the script's
 * {@code RTFS_AGENT_PORT=stdio} hook, host busybox): every frame it writes passes the host's strict codec; it
 * ignores garbage, unknown types and other versions; after the host asks for a hello again it resends exactly the
 * events the welcome does not cover, in order; on shutdown it waits for the last ack, and gives up after the bound.
 * The real host and the real guest are exercised together in {@link AgentBootTest}.
 */
class AgentProtocolTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;
    private Process agent;
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private OutputStream toAgent;

    @BeforeEach
    void startAgent() throws IOException {
        AgentPrerequisites.requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        Path script = dir.resolve("agent.sh");
        Files.write(script, ReferenceAgent.script());
        ProcessBuilder pb = new ProcessBuilder("/bin/busybox", "sh", script.toString());
        pb.environment().put("RTFS_AGENT_PORT", "stdio");
        pb.environment().put("RTFS_AGENT_WORK", Files.createDirectories(dir.resolve("work")).toString());
        pb.environment().put("RTFS_AGENT_SHUTDOWN_WAIT", "2");
        pb.environment().put("RTFS_AGENT_MAX_UNACKED", "8");
        pb.environment().put("RTFS_AGENT_STEPS", Files.createDirectories(dir.resolve("steps")).toString());
        agent = pb.start();
        toAgent = agent.getOutputStream();
        Thread.ofVirtual().start(() -> pump(agent.getInputStream(), frames, null));
        Thread.ofVirtual().start(() -> pump(agent.getErrorStream(), null, stderr));
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

    private void send(HostMessage m) throws IOException {
        toAgent.write(CODEC.encode(m));
        toAgent.flush();
    }

    private void sendRaw(String line) throws IOException {
        toAgent.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toAgent.flush();
    }

    /** The next frame from the agent, which must pass the host's strict decoder and be a {@code type}. */
    private <T extends GuestMessage> T next(Class<T> type) throws Exception {
        String line = frames.poll(20, TimeUnit.SECONDS);
        assertThat(line).as("a frame from the agent; its log:%n%s", log()).isNotNull();
        Decoded<GuestMessage> d = CODEC.decodeGuest(line.getBytes(StandardCharsets.UTF_8));
        assertThat(d).as("strictly valid frame: %s", line).isInstanceOf(Decoded.Accepted.class);
        GuestMessage m = ((Decoded.Accepted<GuestMessage>) d).message();
        assertThat(m).as("frame %s", line).isInstanceOf(type);
        return type.cast(m);
    }

    private String log() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private Hello connect(long lastDurable) throws Exception {
        Hello h = next(Hello.class);
        send(new Welcome(lastDurable));
        return h;
    }

    private Result call(String id, String step, String capability, ObjectNode args, long firstSeq) throws Exception {
        send(new Call(id, step, capability, args));
        Event started = next(Event.class);
        assertThat(started.seq()).isEqualTo(firstSeq);
        assertThat(started.kind()).isEqualTo("call.started");
        assertThat(started.step()).isEqualTo(step);
        assertThat(started.data().get("capability").stringValue()).isEqualTo(capability);
        Event finished = next(Event.class);
        assertThat(finished.seq()).isEqualTo(firstSeq + 1);
        assertThat(finished.kind()).isEqualTo("call.finished");
        Result r = next(Result.class);
        assertThat(r.callId()).isEqualTo(id);
        assertThat(finished.data().get("ok").booleanValue()).isEqualTo(r.ok());
        return r;
    }

    @Test
    void writesOnlyInsideThePlansTreeDrawsBoundedRandomsAndTellsTheTime() throws Exception {
        connect(0);
        String steps = dir.resolve("steps").toString();
        Result wrote = call("w1", "store", "fs.write", JSON.createObjectNode()
                .put("path", steps + "/steps/1/index.json").put("content", AgentBootTest.TRICKY), 1);
        assertThat(wrote.ok()).as(wrote.error()).isTrue();
        send(new Ack(2)); // the outbox holds 8 here: acknowledge as the host does
        byte[] expected = AgentBootTest.TRICKY.getBytes(StandardCharsets.UTF_8);
        assertThat(Files.readAllBytes(dir.resolve("steps/steps/1/index.json"))).isEqualTo(expected);
        assertThat(wrote.value().get("bytes").asLong()).isEqualTo(expected.length);
        long seq = 3;
        for (String bad : new String[] {"/etc/passwd", steps, steps + "/../escape", steps + "/a/./b", "relative/x"}) {
            Result r = call("w-" + seq, "store", "fs.write", JSON.createObjectNode().put("path", bad).put("content", "x"), seq);
            assertThat(r.ok()).as(bad).isFalse();
            send(new Ack(seq + 1));
            seq += 2;
        }
        assertThat(dir.resolve("escape")).doesNotExist();
        for (int i = 0; i < 5; i++) {
            Result r = call("r" + i, "sample", "random.int", JSON.createObjectNode().put("max", 7), seq);
            assertThat(r.value().asInt()).isBetween(0, 6);
            send(new Ack(seq + 1));
            seq += 2;
        }
        for (String max : new String[] {"0", "-1", "2147483648", "1.5", "\"7\""}) {
            Result r = call("rb" + seq, "sample", "random.int", (ObjectNode) JSON.readTree("{\"max\":" + max + "}"), seq);
            assertThat(r.ok()).as(max).isFalse();
            send(new Ack(seq + 1));
            seq += 2;
        }
        long before = System.currentTimeMillis() / 1000 * 1000;
        Result now = call("t", "time", "clock.now", JSON.createObjectNode(), seq);
        assertThat(now.value().get("epoch_ms").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    }

    private Result call(String id, String capability, ObjectNode args, CallDeterminism det, long firstSeq) throws Exception {
        send(new Call(id, "roll", capability, args, Optional.of(det)));
        assertThat(next(Event.class).seq()).isEqualTo(firstSeq);
        assertThat(next(Event.class).seq()).isEqualTo(firstSeq + 1);
        Result r = next(Result.class);
        assertThat(r.callId()).isEqualTo(id);
        send(new Ack(firstSeq + 1));
        return r;
    }

    @Test
    void seededDrawsEqualTheHostsDeterministicRandomAndTheClockIsTheVirtualOne() throws Exception {
        connect(0);
        long seed = System.nanoTime();
        System.out.println("seededDraws seed " + seed);
        java.util.Random random = new java.util.Random(seed);
        long seq = 1;
        // call 3 with max 1_500_000_001 needs a redraw (rejection sampling): the guest must redraw the same way
        long[][] contexts = {{0, 0, 6}, {1, 0, 100}, {2, 3, 1_500_000_001L}, {7, 2, Integer.MAX_VALUE}, {0, 3, 1_500_000_001L}};
        for (int i = 0; i < contexts.length + 6; i++) {
            long[] c = i < contexts.length ? contexts[i]
                    : new long[] {random.nextInt(50), random.nextInt(50), 1 + random.nextInt(Integer.MAX_VALUE)};
            String hexSeed = i % 2 == 0 ? "30783261" : "37";
            CallDeterminism det = new CallDeterminism(Optional.of(hexSeed), (int) c[0], (int) c[1], OptionalLong.empty());
            Result r = call("d" + i, "random.int", JSON.createObjectNode().put("max", c[2]), det, seq);
            seq += 2;
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.value().asLong()).as("seed %s step %d call %d max %d", hexSeed, c[0], c[1], c[2])
                    .isEqualTo(new DeterministicRandom(hexSeed, (int) c[0], (int) c[1]).nextBelow(c[2]));
        }
        CallDeterminism time = new CallDeterminism(Optional.empty(), 2, 1, OptionalLong.of(1_704_067_202_001L));
        Result now = call("t", "clock.now", JSON.createObjectNode(), time, seq);
        assertThat(now.value().get("epoch_ms").asLong()).isEqualTo(1_704_067_202_001L);
        seq += 2;
        // time only: random.int keeps the kernel's source (no seed), the next plain call is real again
        Result unseeded = call("u", "random.int", JSON.createObjectNode().put("max", 7), time, seq);
        assertThat(unseeded.value().asInt()).isBetween(0, 6);
        seq += 2;
        long before = System.currentTimeMillis() / 1000 * 1000;
        Result real = call("real", "time", "clock.now", JSON.createObjectNode(), seq);
        assertThat(real.value().get("epoch_ms").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    }

    @Test
    void aMalformedDeterminismContextFailsTheCallInsteadOfDrawingFromIt() throws Exception {
        connect(0);
        sendRaw("{\"type\":\"call\",\"v\":1,\"call_id\":\"c1\",\"step\":\"s\",\"capability\":\"random.int\","
                + "\"args\":{\"max\":6},\"det\":{\"seed\":\"$(reboot)\",\"step\":0,\"call\":0}}");
        Result r = next(Result.class);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("determinism context");
    }

    @Test
    void ignoresWhatItDoesNotKnowResendsUnackedEventsAfterANewWelcomeAndWaitsForTheLastAck() throws Exception {
        Hello hello = connect(0);
        assertThat(hello.agentId()).isEqualTo(ReferenceAgent.DEFAULT_AGENT_ID); // no rtfs.agent_id on this kernel
        assertThat(hello.bootId()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
        assertThat(hello.lastAckedSeq()).isZero();

        for (String garbage : new String[] {"", "not json", "{\"type\":\"call\"", "[1,2]",
                "{\"type\":\"mystery\",\"v\":1,\"x\":{}}", "{\"type\":\"ack\",\"v\":2,\"seq\":99}",
                "{\"type\":\"health_status\",\"v\":1,\"status\":\"ok\",\"last_durable_seq\":0}"}) {
            sendRaw(garbage);
        }
        ObjectNode args = JSON.createObjectNode().put("s", AgentBootTest.TRICKY);
        Result echo = call("c1", "step \"one\"", "echo", args, 1);
        assertThat(echo.ok()).isTrue();
        assertThat(echo.value()).isEqualTo(args);
        send(new Ack(1));
        Result refused = call("c2", "two", "fs.read", JSON.createObjectNode().put("path", "/etc/passwd"), 3);
        assertThat(refused.ok()).isFalse();
        Result unknown = call("c3", "three", "no.such", JSON.createObjectNode(), 5);
        assertThat(unknown.error()).isEqualTo("unknown capability");
        assertThat(call("c4", "four", "fs.read", JSON.createObjectNode(), 7).error()).contains("args.path");

        // A reconnected host rejects a frame that arrived before hello; the agent says hello again and, after a
        // welcome that covers seq 4, resends 5..8 in order, then the last result (it may have been lost).
        send(new ErrorReply("out_of_order", "event before hello"));
        Hello again = connect(4);
        assertThat(again.bootId()).isEqualTo(hello.bootId());
        assertThat(again.lastAckedSeq()).isEqualTo(1);
        for (long seq = 5; seq <= 8; seq++) assertThat(next(Event.class).seq()).isEqualTo(seq);
        assertThat(next(Result.class).callId()).isEqualTo("c4");

        send(new Shutdown("done"));
        send(new Ack(6));
        assertThat(agent.waitFor(500, TimeUnit.MILLISECONDS)).as("still waiting for acks 7..8").isFalse();
        send(new Ack(8));
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).as("exits once all is acknowledged; log:%n%s", log()).isTrue();
        assertThat(agent.exitValue()).isZero();
        Thread.sleep(100); // let the stderr pump catch up
        assertThat(log()).contains("all 8 events acknowledged", ReferenceAgent.STOPPED_MARKER);
        assertThat(frames).isEmpty();
    }

    @Test
    void givesUpWaitingForAcksAfterTheBoundAndStillStops() throws Exception {
        connect(0);
        call("c1", "s", "echo", JSON.createObjectNode(), 1);
        long start = System.nanoTime();
        send(new Shutdown("now"));
        assertThat(agent.waitFor(15, TimeUnit.SECONDS)).as("log:%n%s", log()).isTrue();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(waited).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
        assertThat(agent.exitValue()).isZero();
        Thread.sleep(100);
        assertThat(log()).contains("events 1..2 not acknowledged within 2s", ReferenceAgent.STOPPED_MARKER);
    }

    @Test
    void refusesCallsWithoutEventsWhileItsOutboxIsFull() throws Exception {
        connect(0);
        for (int i = 1; i <= 4; i++) call("c" + i, "s" + i, "echo", JSON.createObjectNode(), 2L * i - 1);
        send(new Call("c5", "s5", "echo", JSON.createObjectNode())); // seqs 1..8 unacknowledged: the bound is 8
        Result refused = next(Result.class); // no events for a refused call
        assertThat(refused.callId()).isEqualTo("c5");
        assertThat(refused.error()).isEqualTo("outbox full: 8 events not yet acknowledged");
        send(new Ack(8));
        assertThat(call("c6", "s6", "echo", JSON.createObjectNode(), 9).ok()).isTrue();
    }
}
