package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks {@link ImageBuilder} makes before it writes anything, with fake inputs: every missing prerequisite is
 * one clear message naming the Debian package, and nothing is left in the output directory.
 */
class ImageBuilderTest {

    @TempDir Path dir;

    private static final ImageTools NO_TOOLS = new ImageTools() {
        @Override
        public Optional<Path> locate(String tool) {
            return Optional.empty();
        }

        @Override
        public Result run(List<String> argv, Map<String, String> env) {
            throw new AssertionError("nothing may run when a tool is missing");
        }
    };

    /** A fake host: /boot with kernels, their module directories and an ELF busybox (static unless asked). */
    private ImageBuildOptions host(boolean dynamicBusybox, String... kernels) throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Path lib = Files.createDirectories(dir.resolve("lib/modules"));
        for (String k : kernels) {
            Files.write(boot.resolve("vmlinuz-" + k), bzImage(k));
            Files.createDirectories(lib.resolve(k));
        }
        Path busybox = dir.resolve("busybox");
        Files.write(busybox, elf(dynamicBusybox));
        busybox.toFile().setExecutable(true);
        return new ImageBuildOptions(dir.resolve("out"), Optional.empty(), Optional.empty(), "r 1", busybox, boot, lib);
    }

    /** The part of an x86 bzImage the build reads: the setup header's "HdrS" and the kernel version string. */
    static byte[] bzImage(String release) {
        byte[] version = (release + " (test@example) #1 SMP\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(0x300 + version.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x202, "HdrS".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort(0x20E, (short) 0x100);
        b.put(0x300, version);
        return b.array();
    }

    /** Tools that are all "installed" but must never run: the build has to fail before it writes anything. */
    private static final ImageTools ALL_TOOLS = new ImageTools() {
        @Override
        public Optional<Path> locate(String tool) {
            return Optional.of(Path.of("/usr/sbin", tool));
        }

        @Override
        public Result run(List<String> argv, Map<String, String> env) {
            throw new AssertionError("nothing may run when the kernel's modules are unusable");
        }
    };

    /** A minimal ELF64 LE header with two program headers: PT_LOAD, then PT_INTERP or PT_NOTE. */
    static byte[] elf(boolean dynamic) {
        ByteBuffer b = ByteBuffer.allocate(64 + 2 * 56).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(0x20, 64).putShort(0x36, (short) 56).putShort(0x38, (short) 2);
        b.putInt(64, 1).putInt(64 + 56, dynamic ? 3 : 4);
        return b.array();
    }

    @Test
    void recognisesStaticAndDynamicElfAndRejectsOtherFiles() {
        assertThat(ImageBuilder.dynamicallyLinked(elf(false))).contains(false);
        assertThat(ImageBuilder.dynamicallyLinked(elf(true))).contains(true);
        assertThat(ImageBuilder.dynamicallyLinked("#!/bin/sh\necho not elf\n".repeat(5).getBytes())).isEmpty();
    }

    @Test
    void picksTheNewestCloudKernelByDebianVersionOrderNotByText() throws Exception {
        ImageBuildOptions o = host(false, "6.1.0-9-cloud-amd64", "6.1.0-10-cloud-amd64", "6.1.0-11-amd64");
        var k = new ImageBuilder(NO_TOOLS).kernel(o);
        assertThat(k.image().getFileName()).hasToString("vmlinuz-6.1.0-10-cloud-amd64");
        assertThat(k.release()).isEqualTo("6.1.0-10-cloud-amd64");
        assertThat(k.choice()).isEqualTo("newest of 2 in " + dir.resolve("boot"));
    }

    @Test
    void missingKernelNamesThePackage() throws Exception {
        ImageBuildOptions o = host(false);
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(o, s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("vmlinuz-*-cloud-amd64").hasMessageEndingWith("(apt-get install linux-image-cloud-amd64)");
        ImageBuildOptions given = o.withKernel(dir.resolve("nope/vmlinuz-1"));
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(given, s -> { }))
                .hasMessage("kernel " + dir.resolve("nope/vmlinuz-1") + ": no such file");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aKernelThatIsNotABzImageOrHasNoModulesIsRefusedNamingTheFile() throws Exception {
        ImageBuildOptions o = host(false, "6.1.0-50-cloud-amd64");
        Path notBz = Files.write(dir.resolve("vmlinuz-6.1.0-50-cloud-amd64.bak"), new byte[] {1});
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(o.withKernel(notBz), s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("kernel " + notBz + ": not an x86 bzImage (no \"HdrS\" boot header at 0x202)");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(o.withKernel(empty), s -> { }))
                .hasMessage("kernel " + empty + ": empty file, not a bzImage");
        Path other = Files.write(dir.resolve("vmlinuz-9.9"), bzImage("9.9"));
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(o.withKernel(other), s -> { }))
                .hasMessageContaining("no kernel modules " + dir.resolve("lib/modules/9.9"))
                .hasMessageEndingWith("(apt-get install linux-image-cloud-amd64)");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aCopiedKernelNamedAnythingFindsTheModulesOfTheReleaseItCarries() throws Exception {
        ImageBuildOptions o = host(false, "6.1.0-50-cloud-amd64");
        Path copy = Files.write(dir.resolve("bzImage"), bzImage("6.1.0-50-cloud-amd64"));
        Path misnamed = Files.write(dir.resolve("vmlinuz-6.1.0-9-cloud-amd64"), bzImage("6.1.0-50-cloud-amd64"));
        for (Path k : List.of(copy, misnamed)) {
            var found = new ImageBuilder(NO_TOOLS).kernel(o.withKernel(k));
            assertThat(found.release()).isEqualTo("6.1.0-50-cloud-amd64");
            assertThat(found.choice()).isEqualTo("--kernel");
            // Past the kernel and its modules directory: the next missing thing is e2fsprogs.
            assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(o.withKernel(k), s -> { }))
                    .hasMessage("mkfs.ext4 is not installed (apt-get install e2fsprogs)");
        }
    }

    @Test
    void aNeededModuleTheKernelLacksFailsBeforeAnythingIsWrittenNamingModuleAndKernel() throws Exception {
        ImageBuildOptions o = host(false, "6.1.0-50-cloud-amd64");
        Path modules = dir.resolve("lib/modules/6.1.0-50-cloud-amd64");
        Files.writeString(modules.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
        Files.writeString(modules.resolve("modules.dep"), "");
        assertThatThrownBy(() -> new ImageBuilder(ALL_TOOLS).build(o, s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("kernel 6.1.0-50-cloud-amd64 has no module virtio_mmio (neither in modules.dep nor built in)");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void dynamicOrMissingBusyboxNamesBusyboxStatic() throws Exception {
        ImageBuildOptions dynamic = host(true, "6.1.0-50-cloud-amd64");
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(dynamic, s -> { }))
                .hasMessageContaining("is dynamically linked").hasMessageEndingWith("(apt-get install busybox-static)");
        ImageBuildOptions missing = dynamic.withBusybox(dir.resolve("no-busybox"));
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(missing, s -> { }))
                .hasMessageEndingWith("(apt-get install busybox-static)");
    }

    @Test
    void missingE2fsprogsIsReportedBeforeAnythingIsWritten() throws Exception {
        ImageBuildOptions o = host(false, "6.1.0-50-cloud-amd64");
        assertThatThrownBy(() -> new ImageBuilder(NO_TOOLS).build(o, s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("mkfs.ext4 is not installed (apt-get install e2fsprogs)")
                .satisfies(e -> assertThat(((ImageBuildException) e).debianPackage()).contains("e2fsprogs"));
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
