package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.vmm.attest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    @Test
    void textIsHashedAsUtf8IntoLowercaseHexAsFips180Says() {
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Sha256.hex("é")).isEqualTo(Sha256.hex("é".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFileMeasuredInChunksHasTheHashOfItsWholeContent(@TempDir Path dir) throws IOException {
        long seed = 0x5A256L;
        System.out.println("Sha256Test seed " + seed);
        byte[] data = new byte[(1 << 20) * 2 + 17]; // more than one read, and a partial last one
        new Random(seed).nextBytes(data);
        Path file = Files.write(dir.resolve("image.img"), data);
        assertThat(Sha256.ofFile(file)).isEqualTo("sha256:" + Sha256.hex(data));
    }
}
