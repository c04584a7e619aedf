package dev.rtfs.microvm.guest;

import static dev.rtfs.microvm.guest.image.Prerequisites.requireThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.GuestKernel;
import dev.rtfs.microvm.guest.image.GuestModules;
import dev.rtfs.microvm.guest.image.KernelInputException;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.qemu.Accelerator;
import dev.rtfs.microvm.vmm.qemu.AcceleratorProbe;
import dev.rtfs.microvm.vmm.qemu.BootOutcome;
import dev.rtfs.microvm.vmm.qemu.BootWatchdog;
import dev.rtfs.microvm.vmm.qemu.KvmBootProbe;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU for real (vmm's synthesis with an image built here): the synthesized argv boots the Debian cloud kernel with a busybox initramfs built by
 * {@link GuestInitramfs} and a read-only ext4 rootfs; the guest proves the root is read-only, reads a marker from
 * it, sends a line over the virtio-serial control channel and powers off. Needs qemu-system-x86,
 * linux-image-cloud-amd64, busybox-static and e2fsprogs: skipped locally without them, failed under CI=true.
 */
class QemuBootTest {

    private static final Duration BOOT_DEADLINE = Duration.ofSeconds(60);

    @TempDir static Path dir;
    static Path kernel;
    static GuestModules modules;

    static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":"), new String[] {"/usr/sbin", "/sbin"}).flatMap(Stream::of)
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @BeforeAll
    static void prerequisites() throws IOException {
        requireThat(onPath("qemu-system-x86_64"), "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)");
        requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        requireThat(onPath("mkfs.ext4"), "mkfs.ext4 (e2fsprogs) is not installed");
        java.util.Optional<GuestKernel> found;
        try {
            found = GuestKernel.newestIn(Path.of("/boot"));
        } catch (KernelInputException e) {
            found = java.util.Optional.empty();
            requireThat(false, e.getMessage());
        }
        requireThat(found.isPresent(), "no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)");
        kernel = found.get().image();
        Path moduleDir = found.get().modulesDir(Path.of("/lib/modules"));
        requireThat(Files.isDirectory(moduleDir), "no " + moduleDir + " for " + kernel + " (linux-image-cloud-amd64)");
        modules = GuestModules.forMicrovm(moduleDir, found.get().release());
    }

    private static Path initramfs(String name, String body) throws IOException {
        GuestInitramfs guest = new GuestInitramfs(GuestInitramfs.DEBIAN_BUSYBOX, modules);
        Path out = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(out)) {
            guest.write(guest.preamble() + body, Map.of(), o);
        }
        return out;
    }

    private static Path rootfs(String marker) throws IOException, InterruptedException {
        Path tree = Files.createDirectories(dir.resolve("rootfs-tree"));
        Files.writeString(tree.resolve("marker.txt"), marker + "\n");
        Path img = dir.resolve("rootfs.img");
        Process p = new ProcessBuilder("mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-d", tree.toString(), img.toString(), "8M")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("mkfs.ext4: " + out).isZero();
        return img;
    }

    @Test
    void synthesizedArgvBootsPrintsTheMarkerAndPowersOff() throws Exception {
        String nonce = UUID.randomUUID().toString();
        Path rootfs = rootfs("RTFS-MARKER " + nonce);
        Path initrd = initramfs("guest.cpio", """
                if touch /mnt/root/written 2>/dev/null; then echo ROOT-IS-WRITABLE; else echo ROOT-IS-READ-ONLY; fi
                for p in /dev/vport*p1; do echo "hello-from-guest $(cat /mnt/root/marker.txt)" > "$p"; done
                cat /mnt/root/marker.txt
                poweroff -f
                """);
        Path probeInitrd = initramfs("probe.cpio", "echo KVM-PROBE-OK\npoweroff -f\n");

        AcceleratorProbe probe = new KvmBootProbe("qemu-system-x86_64", Path.of("/dev/kvm"), kernel, probeInitrd,
                "KVM-PROBE-OK", Duration.ofSeconds(12));
        Path run = Files.createDirectories(dir.resolve("run"));
        // QEMU connects the guestfwd at startup: the (stand-in) egress proxy must already listen on loopback.
        try (java.net.ServerSocket proxy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        SynthOptions options = SynthOptions.defaults(run).withInitrd(initrd).withProxyPort(proxy.getLocalPort());
        var config = config(kernel.toString(), rootfs.toString(), "console=ttyS0");
        SynthResult<QemuSpec> result = new VmSynthesizer(p -> "unused", probe).qemu(config, options);
        assertThat(result).isInstanceOf(SynthResult.Synthesized.class);
        QemuSpec spec = ((SynthResult.Synthesized<QemuSpec>) result).spec();
        System.out.println("QEMU accelerator chosen by the probe: " + spec.accelerator());

        // The host control plane listens; QEMU connects as the client (reconnect=1).
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(spec.controlSocket()));
            CompletableFuture<String> controlLine = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel ch = server.accept();
                     BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
                    return r.readLine();
                } catch (IOException e) {
                    return "control channel error: " + e;
                }
            });
            BootOutcome outcome = new BootWatchdog(BOOT_DEADLINE, 2).boot(spec.argv(), "RTFS-MARKER " + nonce);
            assertThat(outcome.succeeded()).as("boot (attempts %d, console:%n%s)", outcome.attempts(), outcome.console())
                    .isTrue();
            assertThat(outcome.elapsed()).isLessThan(BOOT_DEADLINE.multipliedBy(2));
            assertThat(outcome.console()).contains("ROOT-IS-READ-ONLY").doesNotContain("ROOT-IS-WRITABLE");
            assertThat(controlLine.get(10, TimeUnit.SECONDS)).isEqualTo("hello-from-guest RTFS-MARKER " + nonce);
        }
        if (spec.accelerator() == Accelerator.KVM) {
            assertThat(spec.argv()).containsSubsequence("-accel", "kvm");
        } else {
            assertThat(String.join(" ", spec.argv())).contains("tsc_early_khz=2000000");
        }
        }
    }

    /**
     * Every guest connection to the proxy address reaches the host proxy as its own connection: three GETs in a
     * row to a server that closes after each answer (as the egress proxy does for busybox wget's
     * {@code Connection: close}) all arrive. With {@code guestfwd=...-tcp:} QEMU holds one host connection for the
     * VM's life and the second GET would find it closed.
     */
    @Test
    void eachGuestConnectionToTheProxyAddressIsItsOwnHostConnection() throws Exception {
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        try (java.net.ServerSocket proxy = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        try (java.net.Socket s = proxy.accept()) {
                            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                            String line;
                            while ((line = r.readLine()) != null && !line.isEmpty()) {
                                // the request head
                            }
                            int n = served.incrementAndGet();
                            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 9\r\n\r\nANSWER-" + n + "\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
            Path initrd = initramfs("fwd.cpio", """
                    ip link set lo up; ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
                    for i in 1 2 3; do timeout 20 wget -q -O - http://10.0.2.100:3128/get-$i; done
                    echo FWD-DONE
                    poweroff -f
                    """);
            Path run = Files.createDirectories(dir.resolve("run-fwd"));
            SynthOptions options = SynthOptions.defaults(run).withInitrd(initrd).withProxyPort(proxy.getLocalPort());
            var config = config(kernel.toString(), rootfs("fwd").toString(), "console=ttyS0");
            QemuSpec spec = ((SynthResult.Synthesized<QemuSpec>) VmSynthesizer.standard().qemu(config, options)).spec();
            try (ServerSocketChannel control = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                control.bind(UnixDomainSocketAddress.of(spec.controlSocket()));
                BootOutcome outcome = new BootWatchdog(BOOT_DEADLINE, 2).boot(spec.argv(), "FWD-DONE");
                assertThat(outcome.succeeded()).as("boot (console:%n%s)", outcome.console()).isTrue();
                assertThat(outcome.console()).contains("ANSWER-1", "ANSWER-2", "ANSWER-3");
            }
        }
    }

    /** An agent config with a NIC via the proxy namespace, no capability store, the given kernel, rootfs and cmdline. */
    private static ValidatedConfig config(String kernel, String rootfs, String cmdline) {
        String text = """
                (agent.config
                  :version "0.1.0"
                  :agent-id "agent.demo"
                  :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true}}}
                  :network {:enabled true :egress {:via :proxy :allow-domains ["origin.example.test"]}}
                  :microvm {:kernel {:image "%s" :cmdline "%s"}
                            :rootfs {:image "%s" :ro true}
                            :resources {:vcpus 1 :mem_mb 256}
                            :devices {:nic {:enabled true :proxy_ns "egress-proxy-ns"}
                                      :vsock {:enabled true :cid 3}}
                            :attestation {:enabled true :expect_rootfs_hash "sha256:..."}})
                """.formatted(kernel, cmdline, rootfs);
        ConfigCheckResult checked = ConfigLoader.load(List.of(), new SourceFile("qemu-boot-test.rtfs", text));
        assertThat(checked.valid()).as("config: %s", checked.diagnostics()).isTrue();
        return checked.validated().orElseThrow();
    }
}
