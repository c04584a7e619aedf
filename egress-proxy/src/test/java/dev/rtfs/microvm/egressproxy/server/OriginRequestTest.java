package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the origin receives for an allowed plain-HTTP request. */
class OriginRequestTest {

    @Test
    void theOriginSeesTheDecidedHostNotTheGuestsHostHeader() {
        HttpRequest guest = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "http://ORIGIN.test/a?b");
        guest.headers().add("Host", "internal.test").add("Accept", "*/*").add("Proxy-Authorization", "Basic eA==");
        FullHttpRequest out = OriginRequest.of(guest, "origin.test", 80, "/a?b", Unpooled.EMPTY_BUFFER);
        try {
            assertThat(out.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            assertThat(out.uri()).isEqualTo("/a?b");
            assertThat(out.headers().getAll("Host")).containsExactly("origin.test");
            assertThat(out.headers().get("Accept")).isEqualTo("*/*");
            assertThat(out.headers().contains("Proxy-Authorization")).isFalse();
            assertThat(out.headers().contains("Content-Length")).isFalse();
        } finally {
            out.release();
        }
    }

    @Test
    void anIpv6HostIsBracketedAndAPortOtherThan80Kept() {
        HttpRequest guest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://[::1]:8080/");
        FullHttpRequest out = OriginRequest.of(guest, "::1", 8080, "/", Unpooled.EMPTY_BUFFER);
        try {
            assertThat(out.headers().get("Host")).isEqualTo("[::1]:8080");
        } finally {
            out.release();
        }
    }

    @Test
    void aChunkedUploadIsForwardedWholeWithAContentLength() {
        HttpRequest guest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "http://origin.test/up");
        guest.headers().add("Transfer-Encoding", "chunked").add("Expect", "100-continue");
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        FullHttpRequest out = OriginRequest.of(guest, "origin.test", 80, "/up", Unpooled.wrappedBuffer(body));
        try {
            assertThat(out.headers().contains("Transfer-Encoding")).isFalse();
            assertThat(out.headers().contains("Expect")).isFalse();
            assertThat(out.headers().getInt("Content-Length")).isEqualTo(5);
            assertThat(out.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        } finally {
            out.release();
        }
    }
}
