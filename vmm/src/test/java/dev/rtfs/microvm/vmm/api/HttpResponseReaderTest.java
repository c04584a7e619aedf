package dev.rtfs.microvm.vmm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

    private static ApiResponse read(String s) throws IOException {
        return HttpResponseReader.read(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsNoContentAndFaults() throws IOException {
        assertThat(read("HTTP/1.1 204 No Content\r\nServer: Firecracker API\r\n\r\n")).isEqualTo(new ApiResponse(204, ""));
        assertThat(read("HTTP/1.1 400 Bad Request\r\nContent-Length: 21\r\n\r\n{\"fault_message\":\"x\"}"))
                .isEqualTo(new ApiResponse(400, "{\"fault_message\":\"x\"}"));
    }

    @Test
    void refusesMalformedResponsesClearly() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("without a response");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n\r\n")).hasMessageContaining("without Content-Length");
        assertThatThrownBy(() -> read("HTTP/1.1 400 X\r\nContent-Length: 10\r\n\r\nabc")).hasMessageContaining("body ended");
        assertThatThrownBy(() -> read("HTTP/1.1 400 X\r\nContent-Length: 99999999999\r\n\r\n")).hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> read("HTTP/1.1 400 X\r\nContent-Length: 2000000\r\n\r\n")).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n")).hasMessageContaining("bad status line");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(5000) + "\r\n")).hasMessageContaining("exceeds");
    }

    @Test
    void fuzzedResponsesYieldAResponseOrAMalformedResponseOnly() {
        long seed = Long.getLong("rtfs.test.seed", System.nanoTime());
        System.out.println("HttpResponseReaderTest seed=" + seed + " (rerun with -Drtfs.test.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] seeds = {
            "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{\"fault_message\":\"x\"}"
                    .getBytes(StandardCharsets.ISO_8859_1),
        };
        for (int i = 0; i < 20_000; i++) {
            byte[] base = seeds[random.nextInt(seeds.length)];
            byte[] input = mutate(base, random);
            try {
                ApiResponse r = HttpResponseReader.read(new ByteArrayInputStream(input));
                assertThat(r.status()).isBetween(100, 599);
                assertThat(r.body().length()).isLessThanOrEqualTo(HttpResponseReader.MAX_BODY_BYTES);
            } catch (HttpResponseReader.MalformedResponse expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Exception other) {
                throw new AssertionError("seed " + seed + " case " + i + ": " + other, other);
            }
        }
    }

    private static byte[] mutate(byte[] base, SplittableRandom random) {
        byte[] out = base.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(3)) {
                case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
                default -> {
                    byte[] longer = java.util.Arrays.copyOf(out, out.length + 1 + random.nextInt(8));
                    for (int k = out.length; k < longer.length; k++) longer[k] = (byte) "0123456789\r\n:"
                            .charAt(random.nextInt(13));
                    out = longer;
                }
            }
            if (out.length == 0) break;
        }
        return out;
    }
}
