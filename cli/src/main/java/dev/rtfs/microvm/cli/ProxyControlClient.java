package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.vmm.api.ApiCall;
import dev.rtfs.microvm.vmm.api.ApiResponse;
import dev.rtfs.microvm.vmm.api.UnixSocketHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the egress proxy's host-only control API (docs/control-api.md) on its Unix socket: one connection
 * per request, answers read with vmm's bounded HTTP reader (1 MiB body, 16 KiB head). A socket nobody listens on,
 * or an answer that is not HTTP and JSON, is an {@link IOException} naming the socket.
 */
final class ProxyControlClient {

    /** One answer: its status and JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        /** The API's {@code {"error": "..."}} text, or the status when the body has none. */
        String error() {
            String e = body.path("error").asString("");
            return e.isEmpty() ? "HTTP " + status : e + " (HTTP " + status + ")";
        }
    }

    private final Path socket;
    private final UnixSocketHttpClient http;

    ProxyControlClient(Path socket) {
        this.socket = socket;
        this.http = new UnixSocketHttpClient(socket);
    }

    Answer get(String path) throws IOException {
        return send(new ApiCall("GET", path, null));
    }

    Answer put(String path, JsonNode body) throws IOException {
        return send(ApiCall.put(path, body));
    }

    Answer delete(String path) throws IOException {
        return send(new ApiCall("DELETE", path, null));
    }

    private Answer send(ApiCall call) throws IOException {
        ApiResponse r;
        try {
            r = http.send(call);
        } catch (IOException e) {
            throw new IOException("control API at " + socket + ": " + e.getMessage(), e);
        }
        try {
            return new Answer(r.status(), r.body().isEmpty() ? JsonMapper.shared().createObjectNode()
                    : JsonMapper.shared().readTree(r.body()));
        } catch (JacksonException e) {
            throw new IOException("control API at " + socket + ": " + call.method() + " " + call.path()
                    + " answered " + r.status() + " with a body that is not JSON", e);
        }
    }
}
