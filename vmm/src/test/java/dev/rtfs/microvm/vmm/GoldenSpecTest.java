package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-for-byte snapshots of every target's output for the seed example and an air-gapped config.
 * Regenerate after an intended change with {@code -Drtfs.golden.update=true} and review the diff.
 */
class GoldenSpecTest {

    private static final Path GOLDEN = Path.of(System.getProperty("rtfs.repo.root", "."))
            .resolve("vmm/src/test/resources/golden");

    static Stream<Arguments> cases() {
        return Stream.of("example", "airgapped").flatMap(name ->
                Stream.of(Target.values()).map(t -> Arguments.of(name, t)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesSnapshot(String name, Target target) throws IOException {
        TestConfigs config = name.equals("example") ? TestConfigs.example() : TestConfigs.airGapped();
        SynthOptions options = SynthOptions.defaults(Path.of("/run/rtfs/" + config.agentId)).withProxyPort(18001);
        SynthResult<String> result = VmSynthesizer.standard().render(config.build(), options, target);
        assertThat(result).isInstanceOf(SynthResult.Synthesized.class);
        String actual = ((SynthResult.Synthesized<String>) result).spec();
        Path file = GOLDEN.resolve(name + "." + target.cliName() + (actual.startsWith("{") ? ".json" : ".txt"));
        if (Boolean.getBoolean("rtfs.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file (run with -Drtfs.golden.update=true to create)").exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
