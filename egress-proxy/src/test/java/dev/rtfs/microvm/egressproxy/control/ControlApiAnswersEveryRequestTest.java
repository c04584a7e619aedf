package dev.rtfs.microvm.egressproxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API over its real Unix socket answers every request, in order, promptly: a listen port already in
 * use (409), a malformed ACL (400), an unknown agent (404), an oversized body (413); none of them stalls the
 * requests pipelined behind it.
 */
class ControlApiAnswersEveryRequestTest {

    @TempDir
    Path tmp;

    private static String put(String path, String body) {
        return "PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static final String LAST = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /** Sends {@code requests} in one write and reads until the server closes; the status lines in order. */
    private static List<String> exchange(Path sock, String requests, StringBuilder text) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            ch.write(ByteBuffer.wrap(requests.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            text.append(all.toString(StandardCharsets.UTF_8));
        }
        List<String> statuses = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1.1 (\\d{3})").matcher(text);
        while (m.find()) {
            statuses.add(m.group(1));
        }
        return statuses;
    }

    @Test
    void aPutOnAPortInUseIs409AndTheRequestsPipelinedBehindItAreAnsweredInOrder() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1));
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxy.start();
            Path sock = tmp.resolve("ctl.sock");
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock)) {
                String busy = "{\"listen\":\"127.0.0.1:" + taken.getLocalPort() + "\",\"allow_domains\":[\"a.test\"]}";
                StringBuilder text = new StringBuilder();
                long t0 = System.nanoTime();
                List<String> statuses = exchange(sock, put("/agents/a", busy)
                        + put("/agents/b", "{\"allow_domains\":[\"b.test\"]}")
                        + put("/agents/a", busy)
                        + get("/agents/nobody")
                        + put("/agents/c", "{\"allow_ranges\":[\"0.0.0.0/0\"]}")
                        + put("/agents/c", "{not json")
                        + get("/agents/b")
                        + LAST, text);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(statuses).as(text.toString())
                        .containsExactly("409", "200", "409", "404", "400", "400", "200", "200");
                assertThat(ms).as("all answered, ms").isLessThan(1000);
                assertThat(text.toString()).contains("127.0.0.1:" + taken.getLocalPort()).contains("address already in use")
                        .contains("$.allow_ranges[0]").contains("\"b.test\"");
                assertThat(proxy.agents()).as("a failed PUT leaves no half-made agent").containsExactly("b");
            }
        }
    }

    @Test
    void aFailedMoveOfAnAgentsListenerKeepsItsPreviousListenerAndRules() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1));
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxy.start();
            Path sock = tmp.resolve("ctl.sock");
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock)) {
                StringBuilder text = new StringBuilder();
                List<String> statuses = exchange(sock, put("/agents/a", "{\"allow_domains\":[\"old.test\"]}")
                        + put("/agents/a", "{\"listen\":\"127.0.0.1:" + taken.getLocalPort()
                                + "\",\"allow_domains\":[\"new.test\"]}")
                        + get("/agents/a") + LAST, text);
                assertThat(statuses).containsExactly("200", "409", "200", "200");
                String agent = text.substring(text.lastIndexOf("\"acl\""));
                assertThat(agent).contains("old.test").doesNotContain("new.test");
                assertThat(proxy.listenAddress("a")).isPresent();
            }
        }
    }

    @Test
    void anOversizedBodyIs413InItsTurnAndTheConnectionGoesOn() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            Path sock = tmp.resolve("ctl.sock");
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock)) {
                String huge = "{\"allow_domains\":[\"" + "a".repeat(ControlApiServer.MAX_BODY_BYTES) + "\"]}";
                StringBuilder text = new StringBuilder();
                List<String> statuses = exchange(sock, put("/agents/a", "{\"allow_domains\":[\"a.test\"]}")
                        + put("/agents/b", huge) + get("/agents/a") + LAST, text);
                assertThat(statuses).containsExactly("200", "413", "200", "200");
            }
        }
    }

    @Test
    void manyPipelinedRequestsPastTheReadAheadBoundAreAllAnsweredInOrder() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            Path sock = tmp.resolve("ctl.sock");
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock)) {
                StringBuilder requests = new StringBuilder();
                int n = ControlApiServer.MAX_PIPELINED * 8;
                for (int i = 0; i < n; i++) {
                    requests.append(i % 2 == 0 ? get("/agents/nobody") : get("/decisions?limit=x"));
                }
                StringBuilder text = new StringBuilder();
                List<String> statuses = exchange(sock, requests + LAST, text);
                assertThat(statuses).hasSize(n + 1);
                for (int i = 0; i < n; i++) {
                    assertThat(statuses.get(i)).as("answer " + i).isEqualTo(i % 2 == 0 ? "404" : "400");
                }
            }
        }
    }
}
