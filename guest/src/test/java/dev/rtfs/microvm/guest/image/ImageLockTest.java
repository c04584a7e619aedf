package dev.rtfs.microvm.guest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image.lock version 2 records the kernel release and the module load order; version-1 locks are still read. */
class ImageLockTest {

    @TempDir Path dir;

    @Test
    void versionTwoRoundTripsKernelReleaseAndModuleOrder() throws Exception {
        ImageLock lock = ImageLock.of(Map.of("agent-rootfs.img", "sha256:ab"), "6.1.0-57-cloud-amd64",
                List.of("virtio_ring", "virtio", "virtio_mmio"), List.of("ext4"));
        lock.write(dir);
        String json = Files.readString(dir.resolve(ImageLock.FILE_NAME));
        assertThat(json).contains("\"version\" : 2").contains("\"kernelRelease\" : \"6.1.0-57-cloud-amd64\"")
                .contains("\"builtinModules\"").doesNotContain("loadedModules").doesNotContain("\"release\"");
        ImageLock read = ImageLock.besides(dir.resolve("agent-rootfs.img")).orElseThrow();
        assertThat(read).isEqualTo(lock);
        assertThat(read.loadedModules()).containsExactly("virtio_ring", "virtio", "virtio_mmio");
        assertThat(read.builtIn()).containsExactly("ext4");
    }

    @Test
    void attestationIsHandedEveryRecordedHashByFileNameAndTheFileDoesNotGrowAField() throws Exception {
        ImageLock lock = ImageLock.of(Map.of("agent-rootfs.img", "sha256:ab", "vmlinuz-min", "sha256:cd"), "r",
                List.of(), List.of());
        assertThat(lock.expectedHashes().byFileName())
                .containsExactlyInAnyOrderEntriesOf(Map.of("agent-rootfs.img", "sha256:ab", "vmlinuz-min", "sha256:cd"));
        assertThat(lock.expectedHashes().hashOf(Path.of("/elsewhere/agent-rootfs.img"))).contains("sha256:ab");
        lock.write(dir);
        assertThat(Files.readString(dir.resolve(ImageLock.FILE_NAME))).doesNotContain("expectedHashes");
    }

    @Test
    void aVersionOneLockIsStillReadWithoutKernelOrModules() throws Exception {
        Files.writeString(dir.resolve(ImageLock.FILE_NAME),
                "{\"version\":1,\"artifacts\":{\"agent-rootfs.img\":\"sha256:ab\"}}");
        ImageLock read = ImageLock.besides(dir.resolve("agent-rootfs.img")).orElseThrow();
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.hashOf(Path.of("agent-rootfs.img"))).contains("sha256:ab");
        assertThat(read.release()).isEmpty();
        assertThat(read.loadedModules()).isEmpty();
        assertThat(read.builtIn()).isEmpty();
    }

    @Test
    void unknownVersionsAndAVersionTwoLockWithoutKernelAreRefused() throws Exception {
        Files.writeString(dir.resolve(ImageLock.FILE_NAME), "{\"version\":5,\"artifacts\":{}}");
        assertThatThrownBy(() -> ImageLock.besides(dir.resolve("x.img"))).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported version 5");
        Files.writeString(dir.resolve(ImageLock.FILE_NAME), "{\"version\":2,\"artifacts\":{}}");
        assertThatThrownBy(() -> ImageLock.besides(dir.resolve("x.img"))).isInstanceOf(IOException.class)
                .hasMessageContaining("without a kernelRelease");
    }

    @Test
    void versionFourRecordsTheCapabilityPackagesByIdAndReadsBack() throws Exception {
        ImageLock lock = ImageLock.of(Map.of("capabilities.img", "sha256:ab"), "r", List.of(), List.of())
                .withCapabilities(List.of(
                        new LockedCapability("web.fetch", "bin/run", "sha256:m2", "sha256:e2",
                                "[[:network {:domains [\"example.com\"]}]]"),
                        new LockedCapability("text.wordcount", "run", "sha256:m1", "sha256:e1", "[]")));
        lock.write(dir);
        String json = Files.readString(dir.resolve(ImageLock.FILE_NAME));
        assertThat(json).contains("\"version\" : 4").contains("\"manifestSha256\" : \"sha256:m1\"")
                .contains("\"entrySha256\" : \"sha256:e2\"");
        ImageLock read = ImageLock.besides(dir.resolve("capabilities.img")).orElseThrow();
        assertThat(read).isEqualTo(lock);
        assertThat(read.userCapabilities()).extracting(LockedCapability::id).containsExactly("text.wordcount", "web.fetch");
        assertThat(read.userCapabilities().get(1).effects()).isEqualTo("[[:network {:domains [\"example.com\"]}]]");
    }

    @Test
    void aLockWithoutCapabilityPackagesKeepsItsOlderVersionSoOlderReadersStillReadIt() throws Exception {
        ImageLock plain = ImageLock.of(Map.of("a.img", "sha256:ab"), "r", List.of(), List.of()).withCapabilities(List.of());
        assertThat(plain.version()).isEqualTo(2);
        ImageLock userland = plain.withPackages(List.of(new LockedPackage("dash", "0.5.12-2", "amd64", "sha256:cd")));
        assertThat(userland.version()).isEqualTo(3);
        userland.write(dir);
        assertThat(Files.readString(dir.resolve(ImageLock.FILE_NAME))).doesNotContain("capabilities");
        ImageLock both = userland.withCapabilities(List.of(new LockedCapability("a.b", "run", "sha256:m", "sha256:e", "[]")));
        assertThat(both.version()).isEqualTo(4);
        assertThat(both.userlandPackages()).hasSize(1);
        assertThat(both.withPackages(both.userlandPackages()).version()).isEqualTo(4);
    }

    @Test
    void aRecordedCapabilityWithAnIdOrEntryTheAgentCouldNotUseIsRefused() {
        assertThatThrownBy(() -> new LockedCapability("Bad Id", "run", "m", "e", "[]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockedCapability("a.b", "../run", "m", "e", "[]"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
