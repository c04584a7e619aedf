package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's http.get/http.post argument handling, run with the host's busybox (as the guest's agent runs): the
 * config's pins from the kernel cmdline in curl's form, the plan's request headers, the URL schemes. The requests
 * themselves are tested from a real guest (cli HttpsFromTheGuestTest).
 */
class AgentHttpArgsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PIN_A = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String PIN_B = "sha256/" + Base64.getEncoder().encodeToString("b".repeat(32).getBytes(StandardCharsets.US_ASCII));

    @TempDir Path dir;
    AgentShell shell;

    @BeforeEach
    void shell() throws Exception {
        AgentPrerequisites.requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        shell = new AgentShell(dir);
    }

    private String pins(String param) throws Exception {
        AgentShell.Run r = shell.run("tls_pins_from \"$1\"; printf '%s' \"$TLS_PINS\"", param);
        assertThat(r.exit()).as(r.stderr()).isZero();
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void theConfigsPinsFromTheCmdlineBecomeCurlsPinnedPublicKeyList() throws Exception {
        assertThat(pins(PIN_A)).isEqualTo("sha256//" + PIN_A.substring(7));
        assertThat(pins(PIN_A + "," + PIN_B)).isEqualTo("sha256//" + PIN_A.substring(7) + ";sha256//" + PIN_B.substring(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256/...", "md5/AAAA", "sha256/AAAA;rm", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;x"})
    void aMalformedPinListPinsToNothingAnOriginCanMatch(String param) throws Exception {
        // Failing closed: a list the host would never write must not turn pinning off.
        assertThat(pins(param)).isEqualTo("sha256//malformed");
    }

    private AgentShell.Run headers(String json) throws Exception {
        return shell.run("HTTP_PROBLEM=; if http_request_headers \"$1\"; then cat \"$W/req-headers\"; "
                + "else printf 'refused: %s' \"$HTTP_PROBLEM\"; fi", json);
    }

    @Test
    void requestHeadersAreTokenNamesWithOneLineStringValues() throws Exception {
        AgentShell.Run ok = headers("{\"X-Token\":\"a b:c\",\"Accept\":\"application/json\"}");
        assertThat(new String(ok.stdout(), StandardCharsets.UTF_8)).isEqualTo("X-Token: a b:c\nAccept: application/json\n");
        assertThat(new String(headers("{}").stdout(), StandardCharsets.UTF_8)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"Host\":\"evil.example\"}", "{\"content-length\":\"5\"}", "{\"Proxy-Authorization\":\"x\"}",
            "{\"X-A\":\"v\\r\\nInjected: 1\"}", "{\"Bad Name\":\"v\"}", "{\"X-A\":1}", "[\"X-A\"]", "{\"X:Y\":\"v\"}"})
    void headersThatCouldSmuggleOrRerouteARequestAreRefused(String json) throws Exception {
        assertThat(new String(headers(json).stdout(), StandardCharsets.UTF_8)).startsWith("refused: ");
    }

    @Test
    void fuzzedHeaderObjectsEitherAreRefusedOrGiveOnlyWellFormedHeaderLines() throws Exception {
        long seed = System.nanoTime();
        System.out.println("AgentHttpArgsTest fuzz seed " + seed);
        Random random = new Random(seed);
        String alphabet = "aZ-_.:; \t\r\n\"\\é\u0001";
        for (int i = 0; i < 40; i++) {
            ObjectNode o = JSON.createObjectNode();
            int n = random.nextInt(3) + 1;
            for (int h = 0; h < n; h++) o.put(word(random, alphabet), word(random, alphabet));
            String out = new String(headers(JSON.writeValueAsString(o)).stdout(), StandardCharsets.UTF_8);
            if (out.startsWith("refused: ")) continue;
            for (String line : out.split("\n")) {
                assertThat(line).as("seed %d: %s", seed, o).matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+: [^\\r\\n\\x00-\\x1f]*");
            }
        }
    }

    private static String word(Random random, String alphabet) {
        StringBuilder b = new StringBuilder();
        int len = random.nextInt(6) + 1;
        for (int i = 0; i < len; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "https://", "example.com/x"})
    void onlyHttpAndHttpsUrlsAreFetched(String url) throws Exception {
        AgentShell.Run r = shell.run("cap_http 7 \"$1\" GET; printf '%s' \"$RESULT\"",
                JSON.writeValueAsString(JSON.createObjectNode().put("url", url)));
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8))
                .contains("\"ok\":false").contains("only http:// and https:// URLs");
    }
}
