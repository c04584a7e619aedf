package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@link Ext4Image} that need no e2fsprogs: which inodes get normalized, and how tool failures read. */
class Ext4ImageTest {

    @TempDir Path dir;

    @Test
    void usedInodesAreEveryInodeOutsideTheFreeRangesOfEachGroup() throws Exception {
        String dump = """
                Inode count:              24
                Inodes per group:         8
                Group 0: (Blocks 0-32767) csum 0x1234
                  Free blocks: 100-200
                  Free inodes: 6-8
                Group 1: (Blocks 32768-65535)
                  Free blocks:
                  Free inodes:
                Group 2: (Blocks 65536-98303)
                  Free inodes: 17, 19-24
                """;
        assertThat(Ext4Image.usedInodes(dump)).containsExactly(1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15, 16, 18);
    }

    @Test
    void malformedDumpIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> Ext4Image.usedInodes("nothing here")).isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("Inodes per group");
        assertThatThrownBy(() -> Ext4Image.usedInodes("Inodes per group: 8\n  Free inodes: 7-12\n"))
                .isInstanceOf(ImageBuildException.class).hasMessageContaining("outside group 0");
    }

    @Test
    void debugfsScriptZeroesSuperblockTimesThenEveryUsedInodesTimesAndOwner() {
        String script = Ext4Image.debugfsScript(List.of(2, 11));
        assertThat(script.lines().limit(3)).containsExactly("ssv wtime 0", "ssv mkfs_time 0", "ssv lastcheck 0");
        assertThat(script.lines().skip(3)).containsExactly(
                "sif <2> atime 0", "sif <2> ctime 0", "sif <2> mtime 0", "sif <2> crtime 0", "sif <2> uid 0", "sif <2> gid 0",
                "sif <11> atime 0", "sif <11> ctime 0", "sif <11> mtime 0", "sif <11> crtime 0", "sif <11> uid 0",
                "sif <11> gid 0");
    }

    /** Tools that "run" by answering from a script: lets us see the argv and make one of them fail. */
    private static final class ScriptedTools implements ImageTools {
        final List<List<String>> runs = new ArrayList<>();
        final Map<String, Result> answers;

        ScriptedTools(Map<String, Result> answers) {
            this.answers = answers;
        }

        @Override
        public Optional<Path> locate(String tool) {
            return answers.containsKey(tool) ? Optional.of(Path.of("/usr/sbin", tool)) : Optional.empty();
        }

        @Override
        public Result run(List<String> argv, Map<String, String> env) throws IOException {
            runs.add(argv);
            assertThat(env).containsEntry("E2FSPROGS_FAKE_TIME", "1").containsKey("MKE2FS_CONFIG");
            return answers.get(Path.of(argv.getFirst()).getFileName().toString());
        }
    }

    @Test
    void mkfsGetsTheFixedIdentityAndAFailingDebugfsRequestFailsTheBuild() throws Exception {
        UUID uuid = UUID.fromString("00000000-0000-4000-8000-000000000001");
        ImageTools.Result ok = new ImageTools.Result(0, "", "");
        ScriptedTools tools = new ScriptedTools(Map.of(
                "mkfs.ext4", ok,
                "dumpe2fs", new ImageTools.Result(0, "Inodes per group: 4\n  Free inodes: 4\n", "dumpe2fs 1.47.0"),
                "debugfs", new ImageTools.Result(0, "", "debugfs 1.47.0 (5-Feb-2023)\nsif: Unknown field crtime\n"),
                "e2fsck", ok));
        Path tree = Files.createDirectories(dir.resolve("tree"));
        assertThatThrownBy(() -> new Ext4Image(tools, dir).build(tree, dir.resolve("x.img"), new Ext4Image.Spec("l", uuid, 4 << 20)))
                .isInstanceOf(ImageBuildException.class).hasMessageContaining("debugfs could not normalize x.img")
                .hasMessageContaining("Unknown field crtime");
        assertThat(tools.runs.getFirst()).containsSubsequence("-U", uuid.toString())
                .containsSubsequence("-E", "hash_seed=" + uuid + ",root_owner=0:0")
                .containsSubsequence("-O", "^has_journal").containsSubsequence("-d", tree.toString())
                .endsWith(dir.resolve("x.img").toString(), "4096k");
    }

    @Test
    void missingToolNamesTheDebianPackage() {
        ScriptedTools none = new ScriptedTools(Map.of());
        assertThatThrownBy(() -> new Ext4Image(none, dir).build(dir, dir.resolve("x.img"),
                new Ext4Image.Spec("l", UUID.randomUUID(), 4 << 20)))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("mkfs.ext4 is not installed (apt-get install e2fsprogs)");
    }
}
