package dev.rtfs.microvm.controlplane.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host chain key: created on first use, owner-only, reused, its public half readable for verify. */
class ChainKeyTest {
    @TempDir Path dir;

    @Test
    void theHostKeyIsCreatedOnFirstUseReadableOnlyByItsOwner() throws Exception {
        Path key = dir.resolve("state/rtfs-microvm/chain-key");
        AnchorSigner created = HostKey.loadOrCreate(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(key)).contains("-----BEGIN PRIVATE KEY-----").contains("-----BEGIN PUBLIC KEY-----");
        Path pub = HostKey.publicKeyPath(key);
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----").doesNotContain("PRIVATE");
        assertThat(HostKey.loadOrCreate(key).publicKey()).isEqualTo(created.publicKey());
        assertThat(HostKey.readPublic(key)).contains(created.publicKey());
        assertThat(HostKey.readPublicKeyFile(pub)).isEqualTo(created.publicKey());
        Files.delete(pub);
        assertThat(HostKey.readPublic(key)).contains(created.publicKey());
        assertThat(HostKey.readPublic(dir.resolve("none/chain-key"))).isEmpty();
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        Path key = dir.resolve("chain-key");
        HostKey.loadOrCreate(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> HostKey.loadOrCreate(key)).hasMessageContaining("accessible by others (mode rw-r--r--)");
    }

    @Test
    void theDefaultPathFollowsTheEnvironment() {
        assertThat(HostKey.defaultPath(Map.of("RTFS_MICROVM_HOME", "/srv/rtfs", "HOME", "/home/u"), "/x"))
                .isEqualTo(Path.of("/srv/rtfs/chain-key"));
        assertThat(HostKey.defaultPath(Map.of("XDG_STATE_HOME", "/home/u/st", "HOME", "/home/u"), "/x"))
                .isEqualTo(Path.of("/home/u/st/rtfs-microvm/chain-key"));
        assertThat(HostKey.defaultPath(Map.of("HOME", "/root"), "/x"))
                .isEqualTo(Path.of("/root/.local/state/rtfs-microvm/chain-key"));
        assertThat(HostKey.defaultPath(Map.of(), "/home/v")).isEqualTo(Path.of("/home/v/.local/state/rtfs-microvm/chain-key"));
    }
}
