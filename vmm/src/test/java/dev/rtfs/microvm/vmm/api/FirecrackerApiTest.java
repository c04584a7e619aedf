package dev.rtfs.microvm.vmm.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.vmm.VendoredSchemas;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.UpstreamSchemas;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.VmmTestAccess;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The synthesized API sequence, sent over a real Unix socket, is accepted by a Firecracker-rule fake. */
class FirecrackerApiTest {

    static UpstreamSchemas schemas;
    @TempDir Path dir;

    @BeforeAll
    static void schemas() {
        schemas = UpstreamSchemas.swagger2(VendoredSchemas.require("firecracker-v1.16.1.yaml"), true);
    }

    private static FirecrackerSpec spec(Path run) {
        var config = VmmTestAccess.config("/k/vmlinux", "/img/rootfs.ext4", "console=ttyS0");
        return ((SynthResult.Synthesized<FirecrackerSpec>) VmSynthesizer.standard()
                .firecracker(config, SynthOptions.defaults(run))).spec();
    }

    @Test
    void synthesizedSequenceStartsTheVmExactlyOnce() throws IOException {
        FirecrackerSpec spec = spec(dir);
        Path socket = Path.of(spec.apiSocket());
        try (FakeFirecrackerApi fc = new FakeFirecrackerApi(socket, schemas)) {
            UnixSocketHttpClient client = new UnixSocketHttpClient(socket);
            ApiSequence.Result result = ApiSequence.run(client, spec.apiCalls());
            assertThat(result).isEqualTo(new ApiSequence.Result.Completed(spec.apiCalls().size()));
            assertThat(fc.started()).isTrue();
            assertThat(fc.drives()).containsOnlyKeys("rootfs");
            assertThat(fc.resource("/boot-source").get("boot_args").asString()).doesNotContain("root=");
            assertThat(fc.log().getLast()).isEqualTo("PUT /actions");

            // A second InstanceStart is refused, with Firecracker's fault_message.
            ApiSequence.Result again = ApiSequence.run(client, List.of(spec.apiCalls().getLast()));
            assertThat(again).isInstanceOfSatisfying(ApiSequence.Result.Refused.class, r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.faultMessage()).contains("after starting");
            });
        }
    }

    @Test
    void theFakeRefusesWhatRealFirecrackerRefuses() throws IOException {
        FirecrackerSpec spec = spec(dir);
        Path socket = Path.of(spec.apiSocket());
        try (FakeFirecrackerApi fc = new FakeFirecrackerApi(socket, schemas)) {
            UnixSocketHttpClient client = new UnixSocketHttpClient(socket);
            // InstanceStart before the boot source.
            ApiCall start = spec.apiCalls().getLast();
            assertThat(ApiSequence.run(client, List.of(start))).isInstanceOfSatisfying(ApiSequence.Result.Refused.class,
                    r -> assertThat(r.faultMessage()).contains("without kernel configuration"));
            // An unknown nested field (removed upstream).
            ObjectNode nic = (ObjectNode) spec.apiCalls().stream().filter(c -> c.path().startsWith("/network-interfaces"))
                    .findFirst().orElseThrow().body().deepCopy();
            nic.put("allow_mmds_requests", true);
            assertThat(ApiSequence.run(client, List.of(ApiCall.put("/network-interfaces/eth0", nic))))
                    .isInstanceOfSatisfying(ApiSequence.Result.Refused.class,
                            r -> assertThat(r.faultMessage()).contains("allow_mmds_requests"));
            // Path id and body id disagree; invalid ids.
            ObjectNode drive = (ObjectNode) spec.apiCalls().get(2).body().deepCopy();
            assertThat(ApiSequence.run(client, List.of(ApiCall.put("/drives/other", drive))))
                    .isInstanceOfSatisfying(ApiSequence.Result.Refused.class,
                            r -> assertThat(r.faultMessage()).contains("does not match"));
            assertThat(ApiSequence.run(client, List.of(ApiCall.put("/drives/root-fs", drive))))
                    .isInstanceOf(ApiSequence.Result.Refused.class);
            // Wrong method.
            assertThat(client.send(new ApiCall("GET", "/machine-config", null)).status()).isEqualTo(400);
            assertThat(fc.started()).isFalse();
        }
    }

    @Test
    void requestsWithoutContentLengthAreRefused() throws IOException {
        Path socket = dir.resolve("fc.sock");
        try (FakeFirecrackerApi fc = new FakeFirecrackerApi(socket, schemas);
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(ch).write(("PUT /actions HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "{\"action_type\":\"InstanceStart\"}").getBytes(StandardCharsets.US_ASCII));
            ch.shutdownOutput();
            ApiResponse r = HttpResponseReader.read(Channels.newInputStream(ch));
            assertThat(r.status()).isEqualTo(400);
            assertThat(ApiSequence.faultMessage(r.body())).contains("Content-Length");
        }
    }

    @Test
    void clientSendsContentLengthAndJson() throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("action_type", "InstanceStart");
        Path socket = dir.resolve("fc2.sock");
        try (FakeFirecrackerApi fc = new FakeFirecrackerApi(socket, schemas)) {
            // Accepted as a request (then refused for state, not for framing): the client framed it correctly.
            ApiResponse r = new UnixSocketHttpClient(socket).send(ApiCall.put("/actions", body));
            assertThat(ApiSequence.faultMessage(r.body())).contains("kernel configuration");
        }
    }
}
