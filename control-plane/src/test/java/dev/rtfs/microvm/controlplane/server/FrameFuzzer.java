package dev.rtfs.microvm.controlplane.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Seeded generator of random and mutated control frames (never containing a newline). */
final class FrameFuzzer {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final List<String> TYPES = List.of("hello", "event", "result", "health", "metrics", "cache_get",
            "cache_put", "welcome", "call", "ack", "shutdown", "error", "exec", "");
    private final SplittableRandom random;

    FrameFuzzer(long seed) {
        this.random = new SplittableRandom(seed);
    }

    byte[] next() {
        byte[] frame = switch (random.nextInt(10)) {
            case 0 -> randomBytes(1 + random.nextInt(200));
            case 1 -> randomAscii(1 + random.nextInt(200));
            case 2, 3 -> structural(valid());
            case 4 -> random.nextInt(50) == 0 ? oversized() : invalidUtf8(valid());
            default -> byteLevel(bytes(valid()));
        };
        for (int i = 0; i < frame.length; i++) if (frame[i] == '\n') frame[i] = ' ';
        return frame;
    }

    ObjectNode valid() {
        String type = TYPES.get(random.nextInt(7));
        ObjectNode n = F.objectNode().put("type", type).put("v", 1);
        switch (type) {
            case "hello" -> n.put("agent_id", word()).put("boot_id", word()).put("last_acked_seq", random.nextInt(5));
            case "event" -> n.put("seq", 1 + random.nextInt(5)).put("kind", word()).put("step", word()).set("data", value(2));
            case "result" -> {
                n.put("call_id", word());
                if (random.nextBoolean()) n.put("ok", true).set("value", value(2));
                else n.put("ok", false).put("error", word());
            }
            case "metrics" -> n.putObject("values").put(word(), random.nextDouble());
            case "cache_get" -> n.put("hash", hex());
            case "cache_put" -> n.put("hash", hex()).put("artifact", word());
            default -> { }
        }
        return n;
    }

    private byte[] structural(ObjectNode n) {
        List<String> names = List.copyOf(n.propertyNames());
        String victim = names.get(random.nextInt(names.size()));
        switch (random.nextInt(6)) {
            case 0 -> n.remove(victim);
            case 1 -> n.set(word(), value(1));
            case 2 -> n.set(victim, value(2));
            case 3 -> n.put("type", TYPES.get(random.nextInt(TYPES.size())));
            case 4 -> n.set("v", value(0));
            default -> {
                String json = new String(bytes(n), StandardCharsets.UTF_8);
                return (json + json.substring(0, random.nextInt(json.length()))).getBytes(StandardCharsets.UTF_8);
            }
        }
        return bytes(n);
    }

    private byte[] byteLevel(byte[] b) {
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int p = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[p] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b = concat(Arrays.copyOf(b, p), Arrays.copyOfRange(b, p + 1, b.length));
                case 2 -> b = concat(Arrays.copyOf(b, p), new byte[] {(byte) random.nextInt(256)}, Arrays.copyOfRange(b, p, b.length));
                default -> b = Arrays.copyOf(b, p);
            }
        }
        return b;
    }

    private byte[] invalidUtf8(ObjectNode n) {
        byte[] b = bytes(n);
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF},
                {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        int p = 1 + random.nextInt(Math.max(1, b.length - 2));
        return concat(Arrays.copyOf(b, p), bad[random.nextInt(bad.length)], Arrays.copyOfRange(b, p, b.length));
    }

    private byte[] oversized() {
        byte[] b = new byte[65 * 1024 + random.nextInt(8192)];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] randomAscii(int n) {
        String alphabet = "{}[]\":,0123456789.-eEtruefalsnl \\abcxyz_";
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        return b;
    }

    private JsonNode value(int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(random.nextBoolean());
            case 2 -> F.numberNode(random.nextLong());
            case 3 -> F.numberNode(random.nextDouble() * 1e6);
            case 4 -> F.stringNode(word());
            case 5 -> F.numberNode(-random.nextInt(3));
            case 6 -> {
                var a = F.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) a.add(value(depth - 1));
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) o.set(word(), value(depth - 1));
                yield o;
            }
        };
    }

    private String word() {
        int n = random.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) (random.nextInt(20) == 0 ? random.nextInt(0x20, 0x3000) : 'a' + random.nextInt(26)));
        return b.toString();
    }

    private String hex() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 64; i++) b.append("0123456789abcdef".charAt(random.nextInt(16)));
        return b.toString();
    }

    static byte[] bytes(JsonNode n) {
        return MAPPER.writeValueAsBytes(n);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    Iterator<byte[]> stream() {
        return new Iterator<>() {
            public boolean hasNext() {
                return true;
            }

            public byte[] next() {
                return FrameFuzzer.this.next();
            }
        };
    }
}
