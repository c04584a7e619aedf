package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestLogTest {

    @TempDir
    Path dir;

    static void pump(GuestLog log, byte[] bytes) {
        log.pump(new ByteArrayInputStream(bytes)).join();
    }

    @Test
    void theLogIsPrivateToTheUserAndReplacesASymlinkInsteadOfFollowingIt() throws IOException {
        Path target = Files.writeString(dir.resolve("victim"), "keep me");
        Path file = dir.resolve("guest.log");
        Files.createSymbolicLink(file, target);
        try (GuestLog log = GuestLog.open(file, 4096)) {
            pump(log, "hello\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(target)).isEqualTo("keep me");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFloodRotatesOnceAndNeverHoldsMoreThanTwiceTheBoundOnDisk() throws IOException {
        Path file = dir.resolve("guest.log");
        byte[] line = "0123456789abcdef0123456789abcdef\n".getBytes(StandardCharsets.UTF_8);
        try (GuestLog log = GuestLog.open(file, 4096)) {
            for (int i = 0; i < 1000; i++) {
                pump(log, line);
            }
            pump(log, "the end\n".getBytes(StandardCharsets.UTF_8));
            assertThat(log.totalBytes()).isEqualTo(1000L * line.length + 8);
            assertThat(log.rotations()).isGreaterThan(1);
            assertThat(log.lastLines(1)).containsExactly("the end");
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
        assertThat(Files.size(dir.resolve("guest.log.1"))).isLessThanOrEqualTo(4096);
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(2);
        }
        assertThat(Files.readString(file)).endsWith("the end\n");
    }

    @Test
    void theTailIsTextOnlyLinesAreCutAndControlCharactersCannotReachATerminal() throws IOException {
        try (GuestLog log = GuestLog.open(dir.resolve("guest.log"), 1 << 20)) {
            pump(log, ("a\u001b]0;owned\u0007b\r\n" + "y".repeat(10_000) + "\nunfinished").getBytes(StandardCharsets.UTF_8));
            assertThat(log.lastLines(3)).containsExactly("a\\u001b]0;owned\\u0007b",
                    "y".repeat(GuestLog.LINE_CHARS) + "…", "unfinished");
        }
    }

    @Test
    void randomBytesNeverBreakTheLogOrItsTail() throws IOException {
        long seed = System.nanoTime();
        System.out.println("GuestLogTest seed " + seed);
        Random r = new Random(seed);
        try (GuestLog log = GuestLog.open(dir.resolve("guest.log"), 8192)) {
            long total = 0;
            for (int i = 0; i < 200; i++) {
                byte[] b = new byte[r.nextInt(3000)];
                r.nextBytes(b);
                pump(log, b);
                total += b.length;
                assertThat(log.lastLines(GuestLog.TAIL_LINES)).as("seed %d", seed).allSatisfy(l -> {
                    assertThat(l.length()).isLessThanOrEqualTo(GuestLog.LINE_CHARS * 6 + 1);
                    assertThat(l.codePoints().noneMatch(Character::isISOControl)).isTrue();
                });
            }
            assertThat(log.totalBytes()).isEqualTo(total);
        }
        assertThat(Files.size(dir.resolve("guest.log"))).isLessThanOrEqualTo(8192);
    }
}
