package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's JSON helpers, run by the host's busybox (the guest's binary): strings encode to JSON that Jackson
 * reads back exactly, Jackson's strings decode to the exact UTF-8 bytes, non-UTF-8 and NUL are refused, and the
 * member splitter finds top-level members whatever their values hold. The boot test repeats the round trip in the
 * real guest.
 */
class AgentJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path dir;
    AgentShell shell;

    static Stream<String> tricky() {
        StringBuilder controls = new StringBuilder();
        for (char c = 1; c < 32; c++) controls.append(c);
        return Stream.of("", "x", "plain ascii", "\n", "\n\n", "ends with newline\n", "x\nx", controls.toString() + "\u007f",
                AgentBootTest.TRICKY, AgentBootTest.FILE_TEXT, "\"\\\"\\\\", "é ü ✓ 😀 𝄞 \uffff \u0800 \u07ff",
                "{\"type\":\"call\"}", "\\u0000 literal", "tab\tat end\t");
    }

    @BeforeEach
    void shell() throws Exception {
        AgentPrerequisites.requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        shell = new AgentShell(dir);
    }

    @ParameterizedTest
    @MethodSource("tricky")
    void encodesFileBytesAsAJsonStringJacksonReadsBackExactly(String text) throws Exception {
        Path f = shell.work().resolve("in");
        Files.writeString(f, text);
        AgentShell.Run r = shell.run("json_str_file \"$1\"", f.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        String literal = new String(r.stdout(), StandardCharsets.UTF_8);
        assertThat(literal).doesNotContain("\n").doesNotContainPattern("[\\x00-\\x1f]");
        assertThat(JSON.readTree(literal).stringValue()).isEqualTo(text);
    }

    @ParameterizedTest
    @MethodSource("tricky")
    void decodesJacksonStringsToTheirExactUtf8Bytes(String text) throws Exception {
        AgentShell.Run r = shell.run("json_decode \"$1\"", JSON.writeValueAsString(text));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesEveryEscapeFormIncludingUppercaseHexAndSurrogatePairs() throws Exception {
        AgentShell.Run r = shell.run("json_decode \"$1\"", "\"\\u00E9\\u00e9\\/\\b\\f\\ud83d\\ude00\\uD834\\uDD1E\"");
        assertThat(r.exit()).isZero();
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo("éé/\b\f😀𝄞");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\u0000\"", "\"a\\ud83d\"", "\"\\ude00\"", "\"\\x\"", "\"\\u12\"", "\"\\u12zz\"", "unquoted",
            "\"\\ud83d\\u0041\""})
    void refusesNulLoneSurrogatesAndBadEscapes(String literal) throws Exception {
        assertThat(shell.run("json_decode \"$1\"", literal).exit()).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3", "ff", "c080", "c1bf", "e08080", "eda080", "edbfbf", "f4908080", "f5808080", "80",
            "e282", "61e2820a41", "f0908d"})
    void refusesBytesThatAreNotUtf8LikeTheHostDoes(String hex) throws Exception {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(strictUtf8(bytes)).as("Java's strict decoder agrees %s is not UTF-8", hex).isFalse();
        Path f = shell.work().resolve("bad");
        Files.write(f, bytes);
        assertThat(shell.run("json_str_file \"$1\"", f.toString()).exit()).isEqualTo(3);
    }

    @Test
    void randomUnicodeTextRoundTripsThroughEncodeAndDecode() throws Exception {
        Random random = new Random(42);
        for (int n = 0; n < 12; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> 1 + random.nextInt(127);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0x800 + random.nextInt(0xd800 - 0x800);
                    default -> 0x10000 + random.nextInt(0x100000 - 0x10000);
                };
                s.appendCodePoint(cp);
            }
            String text = s.toString();
            Path f = shell.work().resolve("rand");
            Files.writeString(f, text);
            AgentShell.Run enc = shell.run("json_str_file \"$1\"", f.toString());
            assertThat(enc.exit()).as(enc.stderr()).isZero();
            String literal = new String(enc.stdout(), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(literal).stringValue()).isEqualTo(text);
            assertThat(shell.run("json_decode \"$1\"", literal).stdout()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void splitsTopLevelMembersWhateverTheValuesHold() throws Exception {
        ObjectNode o = JSON.createObjectNode().put("type", "call").put("v", 1).put("call_id", "c\"1,}")
                .put("step", AgentBootTest.TRICKY);
        o.putObject("args").put("a,\"b\":", "}]").putArray("list").add(1).add(-2.5e3).addNull().addArray().add("[");
        o.put("last", false);
        AgentShell.Run r = shell.run("printf '%s\\n' \"$1\" | awk \"$JSON_MEMBERS\"", JSON.writeValueAsString(o));
        assertThat(r.exit()).as(r.stderr()).isZero();
        List<String> lines = new String(r.stdout(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2 * o.size());
        int i = 0;
        for (Map.Entry<String, JsonNode> m : o.properties()) {
            assertThat(lines.get(i++)).isEqualTo(m.getKey());
            assertThat(JSON.readTree(lines.get(i++))).isEqualTo(m.getValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "{\"a\":1,}", "{\"a\"}", "{\"a\":1}x", "[1]", "{\"a\":\"unterminated}"})
    void refusesWhatIsNotACompactObject(String line) throws Exception {
        assertThat(shell.run("printf '%s\\n' \"$1\" | awk \"$JSON_MEMBERS\" >/dev/null", line).exit()).isNotZero();
    }

    private static boolean strictUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
