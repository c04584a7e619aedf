package dev.rtfs.microvm.controlplane.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.rtfslang.PrintableText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.JsonNodeFactory;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String H = "a".repeat(64);

    @Test
    void everyGuestMessageRoundTrips() {
        List<GuestMessage> all = List.of(new Hello("agent.a", "boot-1", 7),
                new Event(3, "step.started", "s1", F.objectNode().put("k", "v")),
                Result.success("c1", F.arrayNode().add(1)), Result.failure("c2", "boom"), new Health(),
                new Metrics(Map.of("mem", 12.5)), new CacheGet(H), new CachePut(H, "(plan)"));
        for (GuestMessage m : all) {
            byte[] line = codec.encode(m);
            assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
            assertThat(codec.decodeGuest(java.util.Arrays.copyOf(line, line.length - 1)))
                    .isEqualTo(new Decoded.Accepted<>(m));
        }
    }

    @Test
    void everyHostMessageRoundTrips() {
        List<HostMessage> all = List.of(new Welcome(0), new Call("c1", "s1", "http.get", F.objectNode().put("url", "u")),
                new Ack(9), new Shutdown("done"), new ErrorReply("unknown_type", "x"), new HealthStatus("ok", 4),
                new MetricsReport(1, 2, 3), new CacheHit(H, "p"), new CacheMiss(H), new CacheStored(H));
        for (HostMessage m : all) {
            byte[] line = codec.encode(m);
            assertThat(codec.decodeHost(java.util.Arrays.copyOf(line, line.length - 1)))
                    .isEqualTo(new Decoded.Accepted<>(m));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"exec\",\"v\":1,\"cmd\":\"rm -rf /\"}|unknown_type",
        "{\"type\":\"welcome\",\"v\":1,\"last_durable_seq\":0}|unknown_type",
        "{\"type\":\"health\"}|missing_field",
        "{\"v\":1}|missing_field",
        "{\"type\":\"health\",\"v\":2}|unsupported_version",
        "{\"type\":\"health\",\"v\":\"1\"}|wrong_type",
        "{\"type\":\"health\",\"v\":1,\"x\":1}|unexpected_field",
        "{\"type\":\"hello\",\"v\":1,\"agent_id\":\"a\",\"boot_id\":\"b\"}|missing_field",
        "{\"type\":\"hello\",\"v\":1,\"agent_id\":5,\"boot_id\":\"b\",\"last_acked_seq\":0}|wrong_type",
        "{\"type\":\"hello\",\"v\":1,\"agent_id\":\"\",\"boot_id\":\"b\",\"last_acked_seq\":0}|invalid_value",
        "{\"type\":\"hello\",\"v\":1,\"agent_id\":\"a\",\"boot_id\":\"b\",\"last_acked_seq\":-1}|invalid_value",
        "{\"type\":\"event\",\"v\":1,\"seq\":1.5,\"kind\":\"k\",\"step\":\"s\",\"data\":{}}|wrong_type",
        "{\"type\":\"event\",\"v\":1,\"seq\":0,\"kind\":\"k\",\"step\":\"s\",\"data\":{}}|invalid_value",
        "{\"type\":\"result\",\"v\":1,\"call_id\":\"c\",\"ok\":true,\"value\":1,\"error\":\"e\"}|unexpected_field",
        "{\"type\":\"result\",\"v\":1,\"call_id\":\"c\",\"ok\":false}|missing_field",
        "{\"type\":\"cache_get\",\"v\":1,\"hash\":\"ABC\"}|invalid_value",
        "{\"type\":\"metrics\",\"v\":1,\"values\":{\"a\":\"x\"}}|wrong_type",
        "{\"type\":\"health\",\"v\":1,\"type\":\"health\"}|malformed_json",
        "{\"type\":\"health\",\"v\":1} {}|malformed_json",
        "[1,2]|not_an_object",
        "{\"type\":|malformed_json",
        "'   '|empty_frame",
    })
    void rejectsWithTheRightCode(String frame, String code) {
        Decoded<GuestMessage> d = codec.decodeGuest(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(d).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected<GuestMessage>) d).error().code()).isEqualTo(code);
    }

    @Test
    void rejectsInvalidUtf8EvenInsideAString() {
        byte[] frame = "{\"type\":\"hello\",\"v\":1,\"agent_id\":\"a?\",\"boot_id\":\"b\",\"last_acked_seq\":0}"
                .getBytes(StandardCharsets.US_ASCII);
        frame[35] = (byte) 0xC3; // a lead byte followed by '"' is malformed
        Decoded<GuestMessage> d = codec.decodeGuest(frame);
        assertThat(((Decoded.Rejected<GuestMessage>) d).error()).isEqualTo(ProtocolError.INVALID_UTF8);
        byte[] overlong = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        assertThat(((Decoded.Rejected<GuestMessage>) codec.decodeGuest(overlong)).error())
                .isEqualTo(ProtocolError.INVALID_UTF8);
    }

    @Test
    void refusesToEncodeAnOversizedFrame() {
        Event big = new Event(1, "k", "s", F.objectNode().put("blob", "x".repeat(MessageCodec.MAX_LINE_BYTES)));
        assertThatThrownBy(() -> codec.encode(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void thereIsNoExecMessage() {
        assertThat(GuestMessage.class.getPermittedSubclasses()).extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder("Hello", "Event", "Result", "ResultChunk", "ChunkedResult", "Health", "Metrics", "CacheGet", "CachePut");
        assertThat(HostMessage.class.getPermittedSubclasses()).extracting(Class::getSimpleName)
                .noneMatch(n -> n.toLowerCase().contains("exec"));
    }

    @Test
    void rejectionDetailsEscapeAndShortenWhatTheGuestWrote() {
        // The detail is logged by the host: a guest must not be able to forge log lines or send terminal escapes.
        String[] frames = {
            "{\"type\":\"x\\u001b[2J\\nforged\",\"v\":1}",
            "{\"type\":\"x\\u202e\"}",
            "{\"type\":\"health\",\"v\":1,\"" + "\\u0007".repeat(5000) + "\":1}",
        };
        for (String frame : frames) {
            Decoded.Rejected<GuestMessage> r = (Decoded.Rejected<GuestMessage>) codec.decodeGuest(frame.getBytes(StandardCharsets.UTF_8));
            assertThat(r.detail()).as(frame.substring(0, Math.min(30, frame.length()))).hasSizeLessThanOrEqualTo(MessageCodec.MAX_DETAIL_CHARS + 1)
                    .doesNotContain("\n", "\u001b", "\u0007", "\u202e");
        }
        Decoded.Rejected<GuestMessage> r = (Decoded.Rejected<GuestMessage>) codec.decodeGuest(
                frames[0].getBytes(StandardCharsets.UTF_8));
        assertThat(r.detail()).isEqualTo("unknown message type 'x\\u001b[2J\\u000aforged'");
        assertThat(PrintableText.abbreviated("ab\uD83D\uDE00c", 3)).isEqualTo("ab…");
    }

    @Test
    void aCallCarriesItsDeterminismContextAndLeavesItOutWhenThereIsNone() {
        Call det = new Call("c1", "s1", "random.int", F.objectNode().put("max", 6),
                Optional.of(new CallDeterminism(Optional.of("30783261"), 2, 5, OptionalLong.of(1_704_067_202_005L))));
        byte[] line = codec.encode(det);
        assertThat(new String(line, StandardCharsets.UTF_8))
                .contains("\"det\":{\"seed\":\"30783261\",\"step\":2,\"call\":5,\"now_ms\":1704067202005}");
        assertThat(codec.decodeHost(java.util.Arrays.copyOf(line, line.length - 1))).isEqualTo(new Decoded.Accepted<>(det));
        Call timeOnly = new Call("c2", "s1", "clock.now", F.objectNode(),
                Optional.of(new CallDeterminism(Optional.empty(), 0, 0, OptionalLong.of(0))));
        byte[] t = codec.encode(timeOnly);
        assertThat(codec.decodeHost(java.util.Arrays.copyOf(t, t.length - 1))).isEqualTo(new Decoded.Accepted<>(timeOnly));
        assertThat(new String(codec.encode(new Call("c3", "s", "echo", F.objectNode())), StandardCharsets.UTF_8))
                .doesNotContain("det");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"det\":{\"seed\":\"2A\",\"step\":0,\"call\":0}|invalid_value",
        "\"det\":{\"seed\":\"abc\",\"step\":0,\"call\":0}|invalid_value",
        "\"det\":{\"seed\":\"\",\"step\":0,\"call\":0}|invalid_value",
        "\"det\":{\"seed\":7,\"step\":0,\"call\":0}|wrong_type",
        "\"det\":{\"seed\":\"2a\",\"step\":-1,\"call\":0}|invalid_value",
        "\"det\":{\"seed\":\"2a\",\"step\":0,\"call\":-3}|invalid_value",
        "\"det\":{\"seed\":\"2a\",\"step\":1000001,\"call\":0}|invalid_value",
        "\"det\":{\"seed\":\"2a\",\"step\":0,\"call\":99999999999999999999}|wrong_type",
        "\"det\":{\"step\":0,\"call\":0,\"now_ms\":253402300800000}|invalid_value",
        "\"det\":{\"step\":0,\"call\":0,\"now_ms\":-1}|invalid_value",
        "\"det\":{\"step\":0,\"call\":0}|invalid_value",
        "\"det\":{\"seed\":\"2a\",\"step\":0}|missing_field",
        "\"det\":{\"seed\":\"2a\",\"step\":0,\"call\":0,\"draw\":1}|unexpected_field",
        "\"det\":\"2a\"|wrong_type",
        "\"det\":null|wrong_type",
    })
    void aBadDeterminismContextIsRejected(String det, String code) {
        String frame = "{\"type\":\"call\",\"v\":1,\"call_id\":\"c\",\"step\":\"s\",\"capability\":\"random.int\","
                + "\"args\":{}," + det + "}";
        Decoded<HostMessage> d = codec.decodeHost(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(d).as(frame).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected<HostMessage>) d).error().code()).as(frame).isEqualTo(code);
    }

    @Test
    void aCallCarriesItsStepIndexAndTimeLeftAndLeavesThemOutWhenThereAreNone() {
        Call at = new Call("c1", "s1", "text.wordcount", F.objectNode(), Optional.empty(),
                Optional.of(new CallStep(3, 20_000)));
        byte[] line = codec.encode(at);
        assertThat(new String(line, StandardCharsets.UTF_8)).contains("\"step_index\":3,\"time_left_ms\":20000");
        assertThat(codec.decodeHost(java.util.Arrays.copyOf(line, line.length - 1))).isEqualTo(new Decoded.Accepted<>(at));
        assertThat(new String(codec.encode(new Call("c3", "s", "echo", F.objectNode())), StandardCharsets.UTF_8))
                .doesNotContain("step_index").doesNotContain("time_left_ms");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"step_index\":1|missing_field",
        "\"time_left_ms\":1000|missing_field",
        "\"step_index\":-1,\"time_left_ms\":1000|invalid_value",
        "\"step_index\":1000001,\"time_left_ms\":1000|invalid_value",
        "\"step_index\":1,\"time_left_ms\":0|invalid_value",
        "\"step_index\":1,\"time_left_ms\":86400001|invalid_value",
        "\"step_index\":\"1\",\"time_left_ms\":1000|wrong_type",
    })
    void aBadStepIndexOrTimeLeftIsRejected(String fields, String code) {
        String frame = "{\"type\":\"call\",\"v\":1,\"call_id\":\"c\",\"step\":\"s\",\"capability\":\"x.y\","
                + "\"args\":{}," + fields + "}";
        Decoded<HostMessage> d = codec.decodeHost(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(d).as(frame).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected<HostMessage>) d).error().code()).as(frame).isEqualTo(code);
    }

    @Test
    void aHugeSeedIsRejected() {
        String frame = "{\"type\":\"call\",\"v\":1,\"call_id\":\"c\",\"step\":\"s\",\"capability\":\"random.int\","
                + "\"args\":{},\"det\":{\"seed\":\"" + "ab".repeat(65) + "\",\"step\":0,\"call\":0}}";
        Decoded<HostMessage> d = codec.decodeHost(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(((Decoded.Rejected<HostMessage>) d).error()).isEqualTo(ProtocolError.INVALID_VALUE);
    }
}
