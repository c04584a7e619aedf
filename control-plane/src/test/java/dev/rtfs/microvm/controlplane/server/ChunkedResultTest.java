package dev.rtfs.microvm.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.protocol.Call;
import dev.rtfs.microvm.controlplane.protocol.ChunkedResult;
import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.ErrorReply;
import dev.rtfs.microvm.controlplane.protocol.GuestMessage;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.ProtocolError;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.ResultChunk;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.controlplane.transport.UnixSockets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** A result larger than one frame travels as ordered, hashed {@code result_chunk}s and is reassembled, bounded. */
class ChunkedResultTest {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final JsonMapper MAPPER = CODEC.mapper();

    @TempDir Path dir;

    /** The value's JSON text as the guest sends it: chunks of {@code size} bytes, then the result frame. */
    record Sent(List<ResultChunk> chunks, ChunkedResult done, byte[] text) {}

    static Sent send(String callId, byte[] text, int size) {
        int total = (text.length + size - 1) / size;
        List<ResultChunk> chunks = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            chunks.add(new ResultChunk(callId, i, total, Arrays.copyOfRange(text, i * size, Math.min(text.length, (i + 1) * size))));
        }
        return new Sent(chunks, new ChunkedResult(callId, total, text.length, sha256(text)), text);
    }

    /** A JSON string of exactly {@code bytes} bytes of UTF-8 (quotes included), half of it two-byte characters. */
    static byte[] stringValue(int bytes) {
        int content = bytes - 2;
        return ("\"" + "é".repeat(content / 4) + "a".repeat(content - 2 * (content / 4)) + "\"").getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Assembled assemble(List<ResultChunk> chunks, ChunkedResult done, List<String> problems) {
        ChunkAssembly a = new ChunkAssembly();
        for (ResultChunk c : chunks) a.add(c).ifPresent(problems::add);
        return a.finish(done, MAPPER);
    }

    private static String rejected(String frame) {
        Decoded<GuestMessage> d = CODEC.decodeGuest(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(d).as(frame).isInstanceOf(Decoded.Rejected.class);
        return ((Decoded.Rejected<GuestMessage>) d).error().code() + ": " + ((Decoded.Rejected<GuestMessage>) d).detail();
    }

    @Test
    void malformedChunkFramesAreRejectedNamingTheirField() {
        String sha = "a".repeat(64);
        assertThat(rejected("{\"type\":\"result_chunk\",\"v\":1,\"call_id\":\"c\",\"index\":2,\"total\":2,\"data\":\"YQ==\"}"))
                .isEqualTo("invalid_value: result_chunk: index 2 is not below total 2");
        assertThat(rejected("{\"type\":\"result_chunk\",\"v\":1,\"call_id\":\"c\",\"index\":0,\"total\":65,\"data\":\"YQ==\"}"))
                .isEqualTo("invalid_value: result_chunk: total 65 exceeds 64");
        assertThat(rejected("{\"type\":\"result_chunk\",\"v\":1,\"call_id\":\"c\",\"index\":0,\"total\":1,\"data\":\"*not*\"}"))
                .startsWith("invalid_value: result_chunk: 'data' is not base64");
        assertThat(rejected("{\"type\":\"result_chunk\",\"v\":1,\"call_id\":\"c\",\"index\":0,\"total\":1,\"data\":\"\"}"))
                .isEqualTo("invalid_value: result_chunk: 'data' must decode to 1..48000 bytes, got 0");
        assertThat(rejected("{\"type\":\"result\",\"v\":1,\"call_id\":\"c\",\"ok\":true,\"value\":1,"
                + "\"chunks\":{\"total\":1,\"bytes\":1,\"sha256\":\"" + sha + "\"}}"))
                .isEqualTo("unexpected_field: result: 'chunks' and 'value' exclude each other");
        assertThat(rejected("{\"type\":\"result\",\"v\":1,\"call_id\":\"c\",\"ok\":true,"
                + "\"chunks\":{\"total\":1,\"bytes\":1048577,\"sha256\":\"" + sha + "\"}}"))
                .isEqualTo("invalid_value: result.chunks: a value of 1048577 bytes exceeds 1048576");
        assertThat(rejected("{\"type\":\"result\",\"v\":1,\"call_id\":\"c\",\"ok\":true,"
                + "\"chunks\":{\"total\":1,\"bytes\":1,\"sha256\":\"" + sha + "\",\"extra\":1}}"))
                .isEqualTo("unexpected_field: result.chunks: unexpected field 'extra'");
        Decoded<GuestMessage> ok = CODEC.decodeGuest(Arrays.copyOf(CODEC.encode(new ChunkedResult("c", 3, 100_000, sha)),
                CODEC.encode(new ChunkedResult("c", 3, 100_000, sha)).length - 1));
        assertThat(ok).isEqualTo(new Decoded.Accepted<GuestMessage>(new ChunkedResult("c", 3, 100_000, sha)));
    }

    @Test
    void chunksInOrderMakeTheValueWhoseSizeAndHashTheResultNames() {
        Sent s = send("c1", stringValue(200_000), ResultChunk.MAX_DATA_BYTES);
        List<String> problems = new ArrayList<>();
        Assembled a = assemble(s.chunks(), s.done(), problems);
        assertThat(problems).isEmpty();
        assertThat(a).isInstanceOf(Assembled.Value.class);
        assertThat(MAPPER.writeValueAsBytes(((Assembled.Value) a).value())).isEqualTo(s.text());
        assertThat(((Assembled.Value) a).value().stringValue()).startsWith("éé");
    }

    @Test
    void aDuplicateChunkIsRefusedAndTheResultFailsWithIt() {
        Sent s = send("c1", stringValue(100_000), 30_000);
        List<ResultChunk> chunks = new ArrayList<>(s.chunks());
        chunks.add(2, chunks.get(1));
        List<String> problems = new ArrayList<>();
        Assembled a = assemble(chunks, s.done(), problems);
        assertThat(problems).containsExactly("chunk 1 is a duplicate (expected chunk 2)");
        assertThat(a).isEqualTo(new Assembled.Refused("chunk 1 is a duplicate (expected chunk 2)"));
    }

    @Test
    void anOutOfOrderChunkIsRefused() {
        Sent s = send("c1", stringValue(100_000), 30_000);
        List<ResultChunk> chunks = new ArrayList<>(s.chunks());
        java.util.Collections.swap(chunks, 1, 2);
        List<String> problems = new ArrayList<>();
        assertThat(assemble(chunks, s.done(), problems))
                .isEqualTo(new Assembled.Refused("chunk 2 is out of order (expected chunk 1)"));
        assertThat(problems).hasSize(1);
    }

    @Test
    void missingChunksAreRefusedAtTheResult() {
        Sent s = send("c1", stringValue(100_000), 30_000);
        assertThat(assemble(s.chunks().subList(0, 2), s.done(), new ArrayList<>()))
                .isEqualTo(new Assembled.Refused("chunks 2..3 of 4 are missing"));
        assertThat(new ChunkAssembly().finish(s.done(), MAPPER)).isInstanceOf(Assembled.Refused.class);
    }

    @Test
    void chunksBeyondOneMebibyteAreRefused() {
        byte[] slice = new byte[ResultChunk.MAX_DATA_BYTES];
        Arrays.fill(slice, (byte) '1');
        List<String> problems = new ArrayList<>();
        ChunkAssembly a = new ChunkAssembly();
        for (int i = 0; i < 23; i++) a.add(new ResultChunk("c1", i, 23, slice)).ifPresent(problems::add);
        assertThat(problems).containsExactly("the chunks exceed 1048576 bytes at chunk 21");
        ChunkedResult done = new ChunkedResult("c1", 23, ChunkedResult.MAX_VALUE_BYTES, "0".repeat(64));
        assertThat(a.finish(done, MAPPER)).isEqualTo(new Assembled.Refused("the chunks exceed 1048576 bytes at chunk 21"));
    }

    @Test
    void aHashMismatchIsRefused() {
        Sent s = send("c1", stringValue(100_000), 30_000);
        ChunkedResult lying = new ChunkedResult("c1", s.done().total(), s.done().bytes(), "0".repeat(64));
        Assembled a = assemble(s.chunks(), lying, new ArrayList<>());
        assertThat(a).isInstanceOf(Assembled.Refused.class);
        assertThat(((Assembled.Refused) a).problem()).startsWith("sha256 mismatch: the result names 0000");
    }

    @Test
    void textThatIsNotOneJsonValueIsRefusedEvenWithTheRightHash() {
        Sent s = send("c1", "{\"a\":1}{".repeat(10_000).getBytes(StandardCharsets.UTF_8), 30_000);
        Assembled a = assemble(s.chunks(), s.done(), new ArrayList<>());
        assertThat(((Assembled.Refused) a).problem()).startsWith("the chunks are not one JSON value");
    }

    @Test
    void chunkZeroAgainStartsTheTransmissionOverAsAfterAReconnect() {
        Sent s = send("c1", stringValue(100_000), 30_000);
        List<ResultChunk> chunks = new ArrayList<>(s.chunks().subList(0, 3));
        chunks.addAll(s.chunks());
        List<String> problems = new ArrayList<>();
        assertThat(assemble(chunks, s.done(), problems)).isInstanceOf(Assembled.Value.class);
        assertThat(problems).isEmpty();
    }

    /**
     * Seeded fuzz: a correct chunk list mutated (drop, duplicate, swap, bit flip, truncate) and sent through the
     * codec yields the value exactly when what follows the last chunk 0 is the correct list, and never throws.
     */
    @Test
    void fuzzedChunkSequencesYieldTheValueOnlyWhenIntact() {
        long seed = System.nanoTime();
        System.out.println("ChunkedResultTest fuzz seed: " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            byte[] text = stringValue(2 + random.nextInt(120_000));
            int least = (text.length + ResultChunk.MAX_CHUNKS - 1) / ResultChunk.MAX_CHUNKS;
            Sent s = send("c" + round, text, least + random.nextInt(ResultChunk.MAX_DATA_BYTES - least + 1));
            List<ResultChunk> chunks = new ArrayList<>(s.chunks());
            int mutations = random.nextInt(3);
            for (int m = 0; m < mutations && !chunks.isEmpty(); m++) {
                int i = random.nextInt(chunks.size());
                switch (random.nextInt(5)) {
                    case 0 -> chunks.remove(i);
                    case 1 -> chunks.add(random.nextInt(chunks.size() + 1), chunks.get(i));
                    case 2 -> java.util.Collections.swap(chunks, i, random.nextInt(chunks.size()));
                    case 3 -> {
                        byte[] d = chunks.get(i).data();
                        d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
                        chunks.set(i, new ResultChunk(chunks.get(i).callId(), chunks.get(i).index(), chunks.get(i).total(), d));
                    }
                    default -> chunks.subList(random.nextInt(chunks.size()), chunks.size()).clear();
                }
            }
            ChunkAssembly a = new ChunkAssembly();
            for (ResultChunk c : chunks) {
                byte[] frame = CODEC.encode(c);
                Decoded<GuestMessage> d = CODEC.decodeGuest(Arrays.copyOf(frame, frame.length - 1));
                assertThat(d).as("seed %d round %d", seed, round).isInstanceOf(Decoded.Accepted.class);
                a.add((ResultChunk) ((Decoded.Accepted<GuestMessage>) d).message());
            }
            Assembled got = a.finish(s.done(), MAPPER);
            int lastZero = -1;
            for (int i = 0; i < chunks.size(); i++) if (chunks.get(i).index() == 0) lastZero = i;
            boolean intact = lastZero >= 0 && sameChunks(chunks.subList(lastZero, chunks.size()), s.chunks());
            if (intact) {
                assertThat(got).as("seed %d round %d", seed, round).isInstanceOf(Assembled.Value.class);
                assertThat(MAPPER.writeValueAsBytes(((Assembled.Value) got).value())).isEqualTo(text);
            } else {
                assertThat(got).as("seed %d round %d", seed, round).isInstanceOf(Assembled.Refused.class);
            }
        }
    }

    private static boolean sameChunks(List<ResultChunk> a, List<ResultChunk> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).index() != b.get(i).index() || !Arrays.equals(a.get(i).data(), b.get(i).data())) return false;
        }
        return true;
    }

    @Test
    void aResultOfOneMebibyteMinusOneReachesTheCallerAndABrokenOneFailsTheCallWithOneError() throws Exception {
        try (ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
                ControlServer server = new ControlServer(ListeningTransport.virtioSerial(dir.resolve("ctl.sock")), chain,
                        new AdmissionCache(10, 1 << 20), ControlServerOptions.defaults().forAgent("a")).start();
                TestGuest g = new TestGuest(UnixSockets.connect(dir.resolve("ctl.sock")))) {
            AgentChannel agent = server.agent("a");
            g.send(new Hello("a", "boot", 0));
            g.next(Welcome.class);
            CompletableFuture<Result> big = agent.call("s", "big", JsonNodeFactory.instance.objectNode());
            Sent s = send(g.next(Call.class).callId(), stringValue((int) ChunkedResult.MAX_VALUE_BYTES - 1), ResultChunk.MAX_DATA_BYTES);
            assertThat(s.text()).hasSize((int) ChunkedResult.MAX_VALUE_BYTES - 1);
            for (ResultChunk c : s.chunks()) g.send(c);
            g.send(s.done());
            Result r = big.get(20, TimeUnit.SECONDS);
            assertThat(r.ok()).isTrue();
            assertThat(MAPPER.writeValueAsBytes(r.value())).isEqualTo(s.text());

            CompletableFuture<Result> broken = agent.call("s", "big", JsonNodeFactory.instance.objectNode());
            Sent b = send(g.next(Call.class).callId(), stringValue(200_000), ResultChunk.MAX_DATA_BYTES);
            g.send(b.chunks().get(0)).send(b.chunks().get(2)).send(b.chunks().get(3)).send(b.done());
            ErrorReply error = g.next(ErrorReply.class);
            assertThat(error.code()).isEqualTo(ProtocolError.INVALID_VALUE.code());
            assertThat(error.message()).contains("chunk 2 is out of order (expected chunk 1)");
            Result failed = broken.get(20, TimeUnit.SECONDS);
            assertThat(failed.ok()).isFalse();
            assertThat(failed.error()).contains("chunk 2 is out of order");
            assertThat(g.next(ErrorReply.class).message()).startsWith("chunked result refused: chunk 2 is out of order");
        }
    }
}
