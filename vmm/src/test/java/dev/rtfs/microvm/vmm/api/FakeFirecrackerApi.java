package dev.rtfs.microvm.vmm.api;

import com.networknt.schema.Error;
import dev.rtfs.microvm.vmm.UpstreamSchemas;
import dev.rtfs.microvm.vmm.VmmJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A stand-in for Firecracker's API server (real Firecracker needs KVM) that enforces the rules the real one does:
 * HTTP/1.1 on a Unix socket, PUT only, Content-Length required, bodies validated strictly against the upstream
 * schema (unknown fields are 400), path ids equal body ids and match [A-Za-z0-9_]+, pre-boot resources only
 * before InstanceStart, InstanceStart needs a boot source and happens once; 204 on success, 400 with
 * {"fault_message": ...} otherwise.
 */
public final class FakeFirecrackerApi implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern COLLECTION = Pattern.compile("/(drives|network-interfaces)/([^/]*)");
    private static final Map<String, String> SINGLETONS = Map.of(
            "/machine-config", "MachineConfiguration", "/boot-source", "BootSource", "/vsock", "Vsock",
            "/logger", "Logger", "/metrics", "Metrics", "/actions", "InstanceActionInfo");

    private final UpstreamSchemas schemas;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    // Guarded by this: the VM as configured so far.
    private final Map<String, JsonNode> singletons = new LinkedHashMap<>();
    private final Map<String, JsonNode> drives = new LinkedHashMap<>();
    private final Map<String, JsonNode> nics = new LinkedHashMap<>();
    private boolean started;
    private final List<String> log = new ArrayList<>();

    public FakeFirecrackerApi(Path socket, UpstreamSchemas schemas) throws IOException {
        this.schemas = schemas;
        Files.deleteIfExists(socket); // like a stale socket file, which makes the real one fail: tests start clean
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().start(() -> serve(ch));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            String[] reply = handleRaw(in);
            byte[] body = reply[1].getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + reply[0] + "\r\nServer: Firecracker API\r\nConnection: close\r\n"
                    + (body.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n" : "")
                    + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            // client went away
        }
    }

    private String[] handleRaw(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return fault("incomplete request");
            headBytes.write(b);
            if (headBytes.size() > 16 * 1024) return fault("request head too large");
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].equals("HTTP/1.1")) return fault("Invalid HTTP request line");
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    length = Long.parseLong(lines[i].substring(colon + 1).strip());
                } catch (NumberFormatException e) {
                    return fault("Invalid Content-Length");
                }
            }
        }
        String method = requestLine[0];
        String path = requestLine[1];
        if (!method.equals("PUT")) return fault("Invalid request method: " + method);
        if (length < 0) return fault("Missing Content-Length header");
        if (length > 64 * 1024) return fault("Request payload too large");
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) return fault("Incomplete request body");
        return handle(path, new String(body, StandardCharsets.UTF_8));
    }

    private synchronized String[] handle(String path, String text) {
        log.add("PUT " + path);
        JsonNode body;
        try {
            body = VmmJson.MAPPER.readTree(text);
        } catch (JacksonException e) {
            return fault("Invalid JSON body: " + e.getOriginalMessage());
        }
        String definition;
        String id = null;
        Matcher m = COLLECTION.matcher(path);
        if (m.matches()) {
            definition = m.group(1).equals("drives") ? "Drive" : "NetworkInterface";
            id = m.group(2);
            if (!ID.matcher(id).matches()) return fault("Invalid ID: '" + id + "'");
        } else if (SINGLETONS.containsKey(path)) {
            definition = SINGLETONS.get(path);
        } else {
            return fault("Invalid request path: " + path);
        }
        List<Error> errors = schemas.validate(definition, body);
        if (!errors.isEmpty()) return fault("Invalid " + definition + ": " + errors.getFirst().getMessage());

        if (path.equals("/actions")) {
            String action = body.get("action_type").asString();
            if (!action.equals("InstanceStart")) return started ? ok() : fault("The microVM is not running");
            if (started) return fault("The requested operation is not supported after starting the microVM.");
            if (!singletons.containsKey("/boot-source")) return fault("Cannot start microvm without kernel configuration.");
            if (drives.values().stream().filter(d -> d.get("is_root_device").asBoolean()).count() > 1) {
                return fault("A root block device already exists!");
            }
            started = true;
            return ok();
        }
        if (started) return fault("The requested operation is not supported after starting the microVM.");
        if (definition.equals("Drive")) {
            if (!id.equals(body.get("drive_id").asString())) return fault("The id from the path does not match the id from the body!");
            drives.put(id, body);
        } else if (definition.equals("NetworkInterface")) {
            if (!id.equals(body.get("iface_id").asString())) return fault("The id from the path does not match the id from the body!");
            if (body.get("host_dev_name").asString().getBytes(StandardCharsets.UTF_8).length > 15) {
                return fault("Open tap device failed: name too long");
            }
            nics.put(id, body);
        } else {
            if (path.equals("/metrics") && singletons.containsKey(path)) return fault("Reinitialization of metrics not allowed.");
            singletons.put(path, body);
        }
        return ok();
    }

    private static String[] ok() {
        return new String[] {"204 No Content", ""};
    }

    private static String[] fault(String message) {
        return new String[] {"400 Bad Request",
                VmmJson.compact(Map.of("fault_message", message))};
    }

    public synchronized boolean started() {
        return started;
    }

    public synchronized Map<String, JsonNode> drives() {
        return Map.copyOf(drives);
    }

    public synchronized JsonNode resource(String path) {
        return singletons.get(path);
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
