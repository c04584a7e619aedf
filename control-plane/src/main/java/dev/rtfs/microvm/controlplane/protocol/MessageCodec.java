package dev.rtfs.microvm.controlplane.protocol;

import dev.rtfs.microvm.rtfslang.PrintableText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strict line codec for the control protocol. Decoding never throws: every defect of a frame (bytes, JSON, schema)
 * comes back as {@link Decoded.Rejected} with a wire code and a message that names the place.
 */
public final class MessageCodec {

    /** Largest frame in bytes, not counting the terminating newline. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Rejection details quote guest text; they are logged and echoed, so they are escaped and kept short. */
    static final int MAX_DETAIL_CHARS = 200;

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    public JsonMapper mapper() {
        return mapper;
    }

    /** The frame as bytes, newline included; refuses messages that would not fit in one frame. */
    public byte[] encode(Message message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", message.type());
        node.put("v", Message.VERSION);
        switch (message) {
            case Hello m -> node.put("agent_id", m.agentId()).put("boot_id", m.bootId()).put("last_acked_seq", m.lastAckedSeq());
            case Event m -> {
                node.put("seq", m.seq()).put("kind", m.kind()).put("step", m.step());
                node.set("data", m.data());
            }
            case Result m -> {
                node.put("call_id", m.callId()).put("ok", m.ok());
                if (m.ok()) node.set("value", m.value());
                else node.put("error", m.error());
            }
            case ResultChunk m -> node.put("call_id", m.callId()).put("index", m.index()).put("total", m.total())
                    .put("data", Base64.getEncoder().encodeToString(m.data()));
            case ChunkedResult m -> {
                node.put("call_id", m.callId()).put("ok", true);
                node.putObject("chunks").put("total", m.total()).put("bytes", m.bytes()).put("sha256", m.sha256());
            }
            case Health m -> { }
            case Metrics m -> {
                ObjectNode values = node.putObject("values");
                m.values().forEach(values::put);
            }
            case CacheGet m -> node.put("hash", m.hash());
            case CachePut m -> node.put("hash", m.hash()).put("artifact", m.artifact());
            case Welcome m -> node.put("last_durable_seq", m.lastDurableSeq());
            case Call m -> {
                node.put("call_id", m.callId()).put("step", m.step()).put("capability", m.capability());
                node.set("args", m.args());
                m.det().ifPresent(d -> {
                    ObjectNode det = node.putObject("det");
                    d.seed().ifPresent(seed -> det.put("seed", seed));
                    det.put("step", d.step()).put("call", d.call());
                    d.nowMs().ifPresent(now -> det.put("now_ms", now));
                });
                m.at().ifPresent(at -> node.put("step_index", at.index()).put("time_left_ms", at.timeLeftMs()));
            }
            case Ack m -> node.put("seq", m.seq());
            case Shutdown m -> node.put("reason", m.reason());
            case ErrorReply m -> node.put("code", m.code()).put("message", m.message());
            case HealthStatus m -> node.put("status", m.status()).put("last_durable_seq", m.lastDurableSeq());
            case MetricsReport m -> node.put("frames_accepted", m.framesAccepted())
                    .put("frames_rejected", m.framesRejected()).put("events_durable", m.eventsDurable());
            case CacheHit m -> node.put("hash", m.hash()).put("artifact", m.artifact());
            case CacheMiss m -> node.put("hash", m.hash());
            case CacheStored m -> node.put("hash", m.hash());
        }
        byte[] json = mapper.writeValueAsBytes(node);
        if (json.length > MAX_LINE_BYTES) {
            throw new IllegalArgumentException(message.type() + " frame of " + json.length + " bytes exceeds "
                    + MAX_LINE_BYTES);
        }
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    public Decoded<GuestMessage> decodeGuest(byte[] frame) {
        try {
            JsonNode node = parse(frame);
            String type = header(node);
            FieldReader f = new FieldReader(type, node);
            GuestMessage message = switch (type) {
                case Hello.TYPE -> new Hello(f.name("agent_id"), f.name("boot_id"), f.longAtLeast("last_acked_seq", 0));
                case Event.TYPE -> new Event(f.longAtLeast("seq", 1), f.name("kind"), f.string("step"), f.any("data"));
                case Result.TYPE -> result(f);
                case ResultChunk.TYPE -> resultChunk(f);
                case Health.TYPE -> new Health();
                case Metrics.TYPE -> new Metrics(metricValues(f.object("values")));
                case CacheGet.TYPE -> new CacheGet(f.sha256("hash"));
                case CachePut.TYPE -> new CachePut(f.sha256("hash"), f.string("artifact"));
                default -> throw unknownType(type);
            };
            f.done();
            return new Decoded.Accepted<>(message);
        } catch (FrameRejected e) {
            return new Decoded.Rejected<>(e.error(), PrintableText.abbreviated(e.getMessage(), MAX_DETAIL_CHARS));
        }
    }

    public Decoded<HostMessage> decodeHost(byte[] frame) {
        try {
            JsonNode node = parse(frame);
            String type = header(node);
            FieldReader f = new FieldReader(type, node);
            HostMessage message = switch (type) {
                case Welcome.TYPE -> new Welcome(f.longAtLeast("last_durable_seq", 0));
                case Call.TYPE -> new Call(f.name("call_id"), f.string("step"), f.name("capability"), f.object("args"),
                        f.has("det") ? Optional.of(determinism(f.object("det"))) : Optional.empty(), callStep(f));
                case Ack.TYPE -> new Ack(f.longAtLeast("seq", 1));
                case Shutdown.TYPE -> new Shutdown(f.string("reason"));
                case ErrorReply.TYPE -> new ErrorReply(f.string("code"), f.string("message"));
                case HealthStatus.TYPE -> new HealthStatus(f.string("status"), f.longAtLeast("last_durable_seq", 0));
                case MetricsReport.TYPE -> new MetricsReport(f.longAtLeast("frames_accepted", 0),
                        f.longAtLeast("frames_rejected", 0), f.longAtLeast("events_durable", 0));
                case CacheHit.TYPE -> new CacheHit(f.sha256("hash"), f.string("artifact"));
                case CacheMiss.TYPE -> new CacheMiss(f.sha256("hash"));
                case CacheStored.TYPE -> new CacheStored(f.sha256("hash"));
                default -> throw unknownType(type);
            };
            f.done();
            return new Decoded.Accepted<>(message);
        } catch (FrameRejected e) {
            return new Decoded.Rejected<>(e.error(), PrintableText.abbreviated(e.getMessage(), MAX_DETAIL_CHARS));
        }
    }

    private JsonNode parse(byte[] frame) {
        if (frame.length == 0) throw new FrameRejected(ProtocolError.EMPTY_FRAME, "empty frame");
        if (frame.length > MAX_LINE_BYTES) {
            throw new FrameRejected(ProtocolError.FRAME_TOO_LARGE, "frame exceeds " + MAX_LINE_BYTES + " bytes");
        }
        String text = strictUtf8(frame);
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new FrameRejected(ProtocolError.MALFORMED_JSON,
                    "malformed JSON at column " + column + ": " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) throw new FrameRejected(ProtocolError.EMPTY_FRAME, "blank frame");
        if (!node.isObject()) {
            throw new FrameRejected(ProtocolError.NOT_AN_OBJECT,
                    "frame must be a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    private static String strictUtf8(byte[] frame) {
        // A fresh decoder per frame: CharsetDecoder is stateful and connections decode concurrently.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(frame)).toString();
        } catch (CharacterCodingException e) {
            throw new FrameRejected(ProtocolError.INVALID_UTF8, "frame is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    private static String header(JsonNode node) {
        JsonNode type = node.get("type");
        if (type == null) throw new FrameRejected(ProtocolError.MISSING_FIELD, "missing field 'type'");
        if (!type.isString()) throw new FrameRejected(ProtocolError.WRONG_TYPE, "field 'type' must be a string");
        JsonNode v = node.get("v");
        if (v == null) throw new FrameRejected(ProtocolError.MISSING_FIELD, type.stringValue() + ": missing field 'v'");
        if (!v.isIntegralNumber()) {
            throw new FrameRejected(ProtocolError.WRONG_TYPE, type.stringValue() + ": field 'v' must be an integer");
        }
        if (!v.canConvertToInt() || v.intValue() != Message.VERSION) {
            throw new FrameRejected(ProtocolError.UNSUPPORTED_VERSION,
                    "protocol version " + v.asString() + " is not supported (expected " + Message.VERSION + ")");
        }
        return type.stringValue();
    }

    private static FrameRejected unknownType(String type) {
        return new FrameRejected(ProtocolError.UNKNOWN_TYPE, "unknown message type '" + PrintableText.abbreviated(type, 64) + "'");
    }

    private static GuestMessage result(FieldReader f) {
        String callId = f.name("call_id");
        boolean ok = f.bool("ok");
        if (ok) {
            if (f.has("error")) throw new FrameRejected(ProtocolError.UNEXPECTED_FIELD, "result: ok=true forbids 'error'");
            if (f.has("chunks")) {
                if (f.has("value")) {
                    throw new FrameRejected(ProtocolError.UNEXPECTED_FIELD, "result: 'chunks' and 'value' exclude each other");
                }
                return chunkedResult(callId, f.object("chunks"));
            }
            return Result.success(callId, f.any("value"));
        }
        if (f.has("value")) throw new FrameRejected(ProtocolError.UNEXPECTED_FIELD, "result: ok=false forbids 'value'");
        if (f.has("chunks")) throw new FrameRejected(ProtocolError.UNEXPECTED_FIELD, "result: ok=false forbids 'chunks'");
        return Result.failure(callId, f.string("error"));
    }

    /** The {@code chunks} object of a chunked result: how many slices, how many bytes in all, their sha256. */
    private static ChunkedResult chunkedResult(String callId, JsonNode chunks) {
        FieldReader f = new FieldReader(Result.TYPE + ".chunks", chunks);
        long total = f.longAtLeast("total", 1);
        long bytes = f.longAtLeast("bytes", 1);
        String sha256 = f.sha256("sha256");
        f.done();
        if (total > ResultChunk.MAX_CHUNKS) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, "result.chunks: total " + total + " exceeds " + ResultChunk.MAX_CHUNKS);
        }
        if (bytes > ChunkedResult.MAX_VALUE_BYTES) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE,
                    "result.chunks: a value of " + bytes + " bytes exceeds " + ChunkedResult.MAX_VALUE_BYTES);
        }
        return new ChunkedResult(callId, (int) total, bytes, sha256);
    }

    private static ResultChunk resultChunk(FieldReader f) {
        String callId = f.name("call_id");
        long index = f.longAtLeast("index", 0);
        long total = f.longAtLeast("total", 1);
        if (total > ResultChunk.MAX_CHUNKS) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, "result_chunk: total " + total + " exceeds " + ResultChunk.MAX_CHUNKS);
        }
        if (index >= total) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, "result_chunk: index " + index + " is not below total " + total);
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(f.string("data"));
        } catch (IllegalArgumentException e) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, "result_chunk: 'data' is not base64 (" + e.getMessage() + ")");
        }
        if (data.length < 1 || data.length > ResultChunk.MAX_DATA_BYTES) {
            throw new FrameRejected(ProtocolError.INVALID_VALUE,
                    "result_chunk: 'data' must decode to 1.." + ResultChunk.MAX_DATA_BYTES + " bytes, got " + data.length);
        }
        return new ResultChunk(callId, (int) index, (int) total, data);
    }

    /** The call's {@code step_index} and {@code time_left_ms}: both or neither, bounded. */
    private static Optional<CallStep> callStep(FieldReader f) {
        if (!f.has("step_index") && !f.has("time_left_ms")) return Optional.empty();
        long index = f.longAtLeast("step_index", 0);
        long left = f.longAtLeast("time_left_ms", 1);
        CallStep.problem(index, left).ifPresent(p -> {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, Call.TYPE + ": " + p);
        });
        return Optional.of(new CallStep((int) index, left));
    }

    /** The call's {@code det} object, as strict as a frame: known fields only, each typed and bounded. */
    private static CallDeterminism determinism(JsonNode det) {
        FieldReader f = new FieldReader(Call.TYPE + ".det", det);
        Optional<String> seed = f.has("seed") ? Optional.of(f.string("seed")) : Optional.empty();
        long step = f.longAtLeast("step", 0);
        long call = f.longAtLeast("call", 0);
        OptionalLong now = f.has("now_ms") ? OptionalLong.of(f.longAtLeast("now_ms", 0)) : OptionalLong.empty();
        f.done();
        CallDeterminism.problem(seed, step, call, now).ifPresent(p -> {
            throw new FrameRejected(ProtocolError.INVALID_VALUE, Call.TYPE + ": " + p);
        });
        return new CallDeterminism(seed, (int) step, (int) call, now);
    }

    private static Map<String, Double> metricValues(JsonNode values) {
        Map<String, Double> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : values.properties()) {
            JsonNode n = e.getValue();
            if (!n.isNumber()) {
                throw new FrameRejected(ProtocolError.WRONG_TYPE, "metrics: value '" + e.getKey() + "' must be a number");
            }
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new FrameRejected(ProtocolError.INVALID_VALUE, "metrics: value '" + e.getKey() + "' is not finite");
            }
            result.put(e.getKey(), d);
        }
        return result;
    }
}
