package dev.rtfs.microvm.guest.image;

import static dev.rtfs.microvm.guest.image.Prerequisites.requireThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's modules come from the packed kernel's modules.dep and modules.builtin: a valid load order for the
 * new Debian layout (virtio needs virtio_ring) and for the old one (the reverse), built-in modules marked, every
 * inconsistency of the kernel's files an error that says what and where.
 */
class ModuleDependenciesTest {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleDependenciesTest.class);
    private static final String RELEASE = "6.1.0-57-cloud-amd64";

    @TempDir Path dir;

    /** Every loadable module comes after everything modules.dep says it needs; no module twice. */
    static void assertDependencyOrder(ModuleDependencies deps, List<GuestModule> order) throws KernelInputException {
        List<String> names = order.stream().map(GuestModule::name).toList();
        assertThat(names).doesNotHaveDuplicates();
        for (int i = 0; i < names.size(); i++) {
            for (String d : deps.dependenciesOf(names.get(i))) {
                assertThat(names.indexOf(d)).as("%s needs %s: it must load first (order %s)", names.get(i), d, names)
                        .isBetween(0, i - 1);
            }
        }
    }

    @Test
    void newLayoutLoadsVirtioRingBeforeVirtioAndEveryModuleAfterItsDependencies() throws Exception {
        Path modules = ModuleFixture.newLayout(dir, RELEASE).write();
        ModuleDependencies deps = ModuleDependencies.read(modules);
        List<GuestModule> order = deps.closure(GuestKernelNeeds.roots());
        assertDependencyOrder(deps, order);
        List<String> names = order.stream().map(GuestModule::name).toList();
        assertThat(names.indexOf("virtio_ring")).isLessThan(names.indexOf("virtio"));
        assertThat(names).containsAll(GuestKernelNeeds.roots()).contains("failover", "net_failover", "vsock",
                "vmw_vsock_virtio_transport_common").doesNotContain("virtio_rng", "binfmt_script");
        assertThat(order).contains(GuestModule.builtIn("ext4"), GuestModule.loadable("virtio_ring", ModuleFixture.RING));
        assertThat(deps.kernelVersion()).isEqualTo(RELEASE);
    }

    @Test
    void oldLayoutLoadsVirtioBeforeVirtioRing() throws Exception {
        Path modules = ModuleFixture.oldLayout(dir, RELEASE).write();
        ModuleDependencies deps = ModuleDependencies.read(modules);
        List<GuestModule> order = deps.closure(GuestKernelNeeds.roots());
        assertDependencyOrder(deps, order);
        List<String> names = order.stream().map(GuestModule::name).toList();
        assertThat(names.indexOf("virtio")).isLessThan(names.indexOf("virtio_ring"));
        assertThat(order).contains(GuestModule.builtIn("ext4"));
    }

    @Test
    void theOrderIsDeterministicAndFollowsTheRootsGiven() throws Exception {
        ModuleDependencies deps = ModuleDependencies.read(ModuleFixture.newLayout(dir, RELEASE).write());
        assertThat(deps.closure(GuestKernelNeeds.roots())).isEqualTo(deps.closure(GuestKernelNeeds.roots()));
        assertThat(deps.closure(List.of("virtio_blk"))).extracting(GuestModule::name)
                .containsExactly("virtio_ring", "virtio", "virtio_blk");
        assertThat(deps.closure(List.of("ext4"))).containsExactly(GuestModule.builtIn("ext4"));
    }

    @Test
    void dashAndUnderscoreNameTheSameModule() throws Exception {
        ModuleDependencies deps = ModuleDependencies.read(ModuleFixture.newLayout(dir, RELEASE).write());
        assertThat(deps.closure(List.of("virtio-rng"))).extracting(GuestModule::name)
                .containsExactly("virtio_ring", "virtio", "virtio_rng");
        assertThat(deps.closure(List.of("virtio_rng")).getLast().file()).contains(ModuleFixture.RNG);
        assertThat(deps.closure(List.of("vmw-vsock-virtio-transport")).getLast().name())
                .isEqualTo("vmw_vsock_virtio_transport");
    }

    @Test
    void aNeededModuleTheKernelLacksIsNamedWithTheKernelVersion() throws Exception {
        Path modules = new ModuleFixture(dir, RELEASE).module(ModuleFixture.MMIO, ModuleFixture.VIRTIO)
                .module(ModuleFixture.VIRTIO).write();
        ModuleDependencies deps = ModuleDependencies.read(modules);
        assertThatThrownBy(() -> deps.closure(List.of("virtio_mmio", "virtio_blk")))
                .isInstanceOf(KernelInputException.class)
                .hasMessage("kernel " + RELEASE + " has no module virtio_blk (neither in modules.dep nor built in)");

        // A dependency modules.dep names but does not list.
        Path broken = new ModuleFixture(dir, "6.1.0-58-cloud-amd64").module(ModuleFixture.BLK, ModuleFixture.VIRTIO,
                ModuleFixture.RING).module(ModuleFixture.VIRTIO).write();
        assertThatThrownBy(() -> ModuleDependencies.read(broken).closure(List.of("virtio_blk")))
                .isInstanceOf(KernelInputException.class)
                .hasMessage("kernel 6.1.0-58-cloud-amd64 has no module virtio_ring (neither in modules.dep nor built in, "
                        + "needed by virtio_blk)");
    }

    @Test
    void aModuleWhoseFileIsMissingIsNamedWithTheKernelVersion() throws Exception {
        Path modules = ModuleFixture.newLayout(dir, RELEASE).write();
        Files.delete(modules.resolve(ModuleFixture.RING));
        assertThatThrownBy(() -> ModuleDependencies.read(modules).closure(List.of("virtio_blk")))
                .isInstanceOf(KernelInputException.class)
                .hasMessageContaining("kernel " + RELEASE + ": module virtio_ring is missing its file "
                        + modules.resolve(ModuleFixture.RING))
                .hasMessageContaining("needed by virtio");
    }

    @Test
    void aDependencyCycleIsAnErrorNotALoop() throws Exception {
        Path modules = new ModuleFixture(dir, RELEASE).module("a.ko", "b.ko").module("b.ko", "c.ko")
                .module("c.ko", "a.ko").module("self.ko", "self.ko").write();
        ModuleDependencies deps = ModuleDependencies.read(modules);
        assertThatThrownBy(() -> deps.closure(List.of("a")))
                .isInstanceOf(KernelInputException.class).hasMessageContaining("dependency cycle: a -> b -> c -> a")
                .hasMessageContaining("kernel " + RELEASE);
        assertThatThrownBy(() -> deps.closure(List.of("self")))
                .isInstanceOf(KernelInputException.class).hasMessageContaining("dependency cycle: self -> self");
    }

    @Test
    void pathsThatLeaveTheModulesDirectoryAreRefused() throws Exception {
        for (String bad : List.of("../../etc/evil.ko", "/lib/modules/other/kernel/x.ko", "kernel/../../x.ko",
                "kernel//x.ko", "./x.ko")) {
            Path modules = Files.createDirectories(dir.resolve("esc").resolve(RELEASE));
            Files.writeString(modules.resolve("modules.builtin"), "");
            Files.writeString(modules.resolve("modules.dep"), "kernel/ok.ko:\n" + bad + ":\n");
            assertThatThrownBy(() -> ModuleDependencies.read(modules)).as(bad)
                    .isInstanceOf(KernelInputException.class)
                    .hasMessageStartingWith(modules.resolve("modules.dep") + " line 2: ");
            Files.writeString(modules.resolve("modules.dep"), "kernel/ok.ko: " + bad + "\n");
            assertThatThrownBy(() -> ModuleDependencies.read(modules)).as("dependency " + bad)
                    .isInstanceOf(KernelInputException.class).hasMessageContaining(" line 1: ");
            Files.writeString(modules.resolve("modules.dep"), "");
            Files.writeString(modules.resolve("modules.builtin"), "kernel/ok.ko\n" + bad + "\n");
            assertThatThrownBy(() -> ModuleDependencies.read(modules)).as("builtin " + bad)
                    .isInstanceOf(KernelInputException.class)
                    .hasMessageStartingWith(modules.resolve("modules.builtin") + " line 2: ");
        }
    }

    @Test
    void aMalformedLineIsAnErrorNamingTheFileAndLine() throws Exception {
        Path modules = Files.createDirectories(dir.resolve(RELEASE));
        Files.writeString(modules.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
        for (String bad : List.of("kernel/virtio.ko kernel/virtio_ring.ko", "kernel/virtio.ko:kernel/x.ko",
                "kernel/virtio.txt:", ":", "kernel/.ko:", "kernel/virtio.ko: kernel/x.ko\t", "kernel/ring.ko:")) {
            Files.writeString(modules.resolve("modules.dep"), "kernel/ring.ko:\n\n" + bad + "\n");
            assertThatThrownBy(() -> ModuleDependencies.read(modules)).as(bad)
                    .isInstanceOf(KernelInputException.class)
                    .hasMessageStartingWith(modules.resolve("modules.dep") + " line 3: ");
        }
        Files.write(modules.resolve("modules.dep"), new byte[] {'a', '.', 'k', 'o', ':', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> ModuleDependencies.read(modules)).isInstanceOf(KernelInputException.class)
                .hasMessage(modules.resolve("modules.dep") + ": not UTF-8 text");
    }

    @Test
    void missingOrOversizedDepmodFilesAreRefused() throws Exception {
        Path modules = Files.createDirectories(dir.resolve(RELEASE));
        Files.writeString(modules.resolve("modules.builtin"), "");
        assertThatThrownBy(() -> ModuleDependencies.read(modules)).isInstanceOf(KernelInputException.class)
                .hasMessageStartingWith("no " + modules.resolve("modules.dep"));
        // Sparse: cheap to create, one byte over the cap.
        try (RandomAccessFile f = new RandomAccessFile(modules.resolve("modules.dep").toFile(), "rw")) {
            f.setLength(ModuleDependencies.MAX_FILE_BYTES + 1);
        }
        assertThatThrownBy(() -> ModuleDependencies.read(modules)).isInstanceOf(KernelInputException.class)
                .hasMessage(modules.resolve("modules.dep") + " is larger than 16 MiB: not a depmod file");
        assertThatThrownBy(() -> ModuleDependencies.read(dir.resolve("none")))
                .isInstanceOf(KernelInputException.class).hasMessage("no kernel modules directory " + dir.resolve("none"));
    }

    /**
     * Random bytes and random almost-valid lines: the parser and the closure answer with a result or a
     * {@link KernelInputException}, never anything else and never a hang. The seed is printed to replay a failure.
     */
    @Test
    void fuzzedDepmodFilesGiveAResultOrTheDocumentedErrorOnly() throws Exception {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        System.out.println("modules.dep fuzz seed " + seed + " (replay with -Drtfs.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        Path modules = Files.createDirectories(dir.resolve(RELEASE));
        String[] pieces = {"a.ko", "b.ko", "c-d.ko", "c_d.ko", "k/e.ko.xz", "k/f.ko.zst", ":", " ", "  ", "\n", "\t",
                "/", "..", ".", "x", "\0", "é", "\r", "ext4.ko", "kernel/", ":", ".ko", "~"};
        for (String f : List.of("a.ko", "b.ko", "c-d.ko", "c_d.ko", "k/e.ko.xz", "k/f.ko.zst", "ext4.ko")) {
            Files.createDirectories(modules.resolve(f).getParent());
            Files.write(modules.resolve(f), ModuleFixture.ko(RELEASE, f));
        }
        List<String> names = List.of("a", "b", "c_d", "c-d", "e", "f", "ext4");
        int results = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] dep;
            int mode = random.nextInt(4);
            if (mode == 0) {
                dep = new byte[random.nextInt(200)];
                random.nextBytes(dep);
            } else if (mode == 1) {
                StringBuilder s = new StringBuilder();
                for (int i = random.nextInt(40); i > 0; i--) s.append(pieces[random.nextInt(pieces.length)]);
                dep = s.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                // Well-formed lines over real files, random (possibly cyclic or duplicate) dependencies.
                List<String> files = List.of("a.ko", "b.ko", "c-d.ko", "k/e.ko.xz", "k/f.ko.zst", "ext4.ko", "gone.ko");
                StringBuilder s = new StringBuilder();
                for (String f : files) {
                    if (random.nextInt(4) == 0) continue;
                    s.append(f).append(':');
                    for (String d : files) if (random.nextInt(5) == 0) s.append(' ').append(d);
                    s.append('\n');
                }
                dep = s.toString().getBytes(StandardCharsets.UTF_8);
            }
            byte[] builtin = random.nextBoolean() ? "ext4.ko\n".getBytes(StandardCharsets.UTF_8) : dep;
            final int at = round;
            try {
                ModuleDependencies deps = ModuleDependencies.parse(modules, dep, builtin);
                List<String> roots = names.stream().filter(n -> random.nextInt(3) == 0).toList();
                List<GuestModule> order = deps.closure(roots);
                assertDependencyOrder(deps, order);
                results++;
            } catch (KernelInputException expected) {
                assertThat(expected.getMessage()).as("round %d, seed %d", at, seed).isNotBlank();
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " round " + at + ": " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + " round " + at + ": " + e, e);
            }
        }
        LOG.info("modules.dep fuzz: {} of 2000 inputs parsed and closed", results);
    }

    /** The host's Debian cloud kernel: its own modules.dep orders virtio_ring, virtio, virtio_mmio. */
    @Test
    void theHostKernelsClosureFollowsItsModulesDep() throws Exception {
        Optional<GuestKernel> kernel = Optional.empty();
        try {
            kernel = GuestKernel.newestIn(Path.of("/boot"));
        } catch (KernelInputException e) {
            requireThat(false, e.getMessage());
        }
        requireThat(kernel.isPresent(), "no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)");
        Path modulesDir = kernel.get().modulesDir(Path.of("/lib/modules"));
        requireThat(Files.isDirectory(modulesDir), "no " + modulesDir);
        ModuleDependencies deps = ModuleDependencies.read(modulesDir);
        List<GuestModule> order = deps.closure(GuestKernelNeeds.roots());
        assertDependencyOrder(deps, order);
        List<String> names = order.stream().map(GuestModule::name).toList();
        LOG.info("kernel {}: guest modules {}", kernel.get().release(), order);
        // Derived from the kernel's own file, whichever way round it has virtio and virtio_ring.
        for (String needsVirtio : List.of("virtio_mmio", "virtio_blk", "virtio_net", "virtio_console")) {
            assertThat(deps.dependenciesOf(needsVirtio)).contains("virtio");
            assertThat(names.indexOf("virtio")).isLessThan(names.indexOf(needsVirtio));
        }
        if (deps.dependenciesOf("virtio").contains("virtio_ring")) {
            assertThat(names.indexOf("virtio_ring")).isLessThan(names.indexOf("virtio"));
        }
        assertThat(order).contains(GuestModule.builtIn("ext4"));
        GuestModules loaded = GuestModules.forMicrovm(modulesDir, kernel.get().release());
        assertThat(loaded.order()).isEqualTo(order);
        assertThat(loaded.contents().keySet()).containsExactlyElementsOf(loaded.loaded());
    }

}
