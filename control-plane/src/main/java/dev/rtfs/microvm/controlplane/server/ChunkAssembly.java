package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.chain.RecordFormat;
import dev.rtfs.microvm.controlplane.protocol.ChunkedResult;
import dev.rtfs.microvm.controlplane.protocol.ResultChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The slices of one call's chunked result, kept in order and bounded ({@link ChunkedResult#MAX_VALUE_BYTES}). A
 * transmission starts at index 0, and index 0 again starts it over (the guest resends a result after a reconnect);
 * any other repeat, gap or change of total breaks it, and a broken assembly ignores the rest of its slices so the
 * call fails once, at its {@code result} frame, with the first problem.
 */
final class ChunkAssembly {
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int total;
    private int next;
    private String problem;

    /** The first problem with this slice, if it breaks the assembly (reported to the guest once). */
    synchronized Optional<String> add(ResultChunk chunk) {
        if (chunk.index() == 0) {
            bytes = new ByteArrayOutputStream();
            total = chunk.total();
            next = 0;
            problem = null;
        }
        if (problem != null) return Optional.empty();
        if (next == 0 && chunk.index() != 0) return broken("chunk " + chunk.index() + " arrived before chunk 0");
        if (chunk.total() != total) {
            return broken("chunk " + chunk.index() + " says total " + chunk.total() + ", chunk 0 said " + total);
        }
        if (chunk.index() < next) return broken("chunk " + chunk.index() + " is a duplicate (expected chunk " + next + ")");
        if (chunk.index() > next) return broken("chunk " + chunk.index() + " is out of order (expected chunk " + next + ")");
        byte[] data = chunk.data();
        if ((long) bytes.size() + data.length > ChunkedResult.MAX_VALUE_BYTES) {
            return broken("the chunks exceed " + ChunkedResult.MAX_VALUE_BYTES + " bytes at chunk " + chunk.index());
        }
        bytes.writeBytes(data);
        next++;
        return Optional.empty();
    }

    /** The value the slices make, checked against what the {@code result} frame says of it. */
    synchronized Assembled finish(ChunkedResult done, JsonMapper mapper) {
        if (problem != null) return new Assembled.Refused(problem);
        if (done.total() != total) {
            return new Assembled.Refused("the result names " + done.total() + " chunks, the chunks said " + total);
        }
        if (next < total) return new Assembled.Refused("chunks " + next + ".." + (total - 1) + " of " + total + " are missing");
        byte[] all = bytes.toByteArray();
        if (all.length != done.bytes()) {
            return new Assembled.Refused("the result names " + done.bytes() + " bytes, the chunks hold " + all.length);
        }
        String sha = RecordFormat.sha256Hex(all);
        if (!sha.equals(done.sha256())) {
            return new Assembled.Refused("sha256 mismatch: the result names " + done.sha256() + ", the chunks hash to " + sha);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(all)).toString();
        } catch (CharacterCodingException e) {
            return new Assembled.Refused("the chunks are not UTF-8 text");
        }
        try {
            JsonNode value = mapper.readTree(text);
            if (value == null || value.isMissingNode()) return new Assembled.Refused("the chunks hold no JSON value");
            if (!finite(value)) return new Assembled.Refused("the value holds a number out of range");
            return new Assembled.Value(value);
        } catch (JacksonException e) {
            return new Assembled.Refused("the chunks are not one JSON value: " + e.getOriginalMessage());
        }
    }

    private static boolean finite(JsonNode value) {
        if (value.isContainer()) {
            for (JsonNode child : value.values()) if (!finite(child)) return false;
            return true;
        }
        return !value.isFloatingPointNumber() || Double.isFinite(value.doubleValue());
    }

    private Optional<String> broken(String why) {
        problem = why;
        bytes = new ByteArrayOutputStream(); // release what was kept
        return Optional.of(why);
    }
}
