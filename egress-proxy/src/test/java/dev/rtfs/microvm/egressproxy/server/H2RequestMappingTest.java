package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The h2 request mapping of an intercepted tunnel: the rules on the raw header block, then the conversion. */
class H2RequestMappingTest {

    static final InterceptedOrigin ORIGIN = new InterceptedOrigin("tls.test", 443);

    static Http2Headers get() {
        return new DefaultHttp2Headers(false).method("GET").scheme("https").authority("tls.test").path("/x");
    }

    static Optional<Refusal> check(Http2Headers h) {
        return H2RequestMapping.check(h, ORIGIN);
    }

    /** The guard, Netty's codec and the header strip, as on a stream channel. */
    static EmbeddedChannel stream() {
        return new EmbeddedChannel(new H2StreamGuard(ORIGIN), new Http2StreamFrameToHttpObjectCodec(true),
                new H2StreamGuard.ConversionHeaders());
    }

    @Test
    void aPlainGetPasses() {
        assertThat(check(get())).isEmpty();
        assertThat(check(get().authority("TLS.test:443"))).isEmpty();
    }

    @Test
    void anAuthorityOrHostNamingAnotherHostIsRefusedAsSniMismatch() {
        assertThat(check(get().authority("evil.example"))).get().extracting(Refusal::reason)
                .isEqualTo(Reason.SNI_MISMATCH);
        assertThat(check(get().add("host", "evil.example"))).get().extracting(Refusal::reason)
                .isEqualTo(Reason.SNI_MISMATCH);
        assertThat(check(get().authority("tls.test@evil.example"))).isPresent();
    }

    @Test
    void connectAndExtendedConnectAreRefused() {
        assertThat(check(new DefaultHttp2Headers(false).method("CONNECT").authority("tls.test:443"))).isPresent();
        assertThat(check(get().method("CONNECT").set(":protocol", "websocket"))).isPresent();
        assertThat(check(get().set(":protocol", "websocket"))).isPresent();
    }

    @Test
    void aSchemeOtherThanHttpsOrAPathNotInOriginFormIsRefused() {
        assertThat(check(get().scheme("http"))).isPresent();
        assertThat(check(get().path("*"))).isPresent();
        assertThat(check(get().path("http://evil.example/"))).isPresent();
        assertThat(check(new DefaultHttp2Headers(false).method("GET").scheme("https").authority("tls.test")))
                .isPresent();
    }

    @Test
    void connectionSpecificHeadersAreRefusedButTeTrailersPasses() {
        for (String name : List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")) {
            assertThat(check(get().add(name, "x"))).as(name).get().extracting(Refusal::reason)
                    .isEqualTo(Reason.BAD_REQUEST);
        }
        assertThat(check(get().add("te", "gzip"))).isPresent();
        assertThat(check(get().add("te", "trailers"))).isEmpty();
    }

    @Test
    void aGuestCannotSendTheConversionsOwnHeaders() {
        assertThat(check(get().add("x-http2-scheme", "http"))).isPresent();
        assertThat(check(get().add("x-http2-stream-id", "7"))).isPresent();
    }

    @Test
    void theConvertedRequestCarriesNoConversionHeaderAndTheAuthorityAsHost() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get().add("x-a", "1"), true));
        HttpRequest req = ch.readInbound();
        assertThat(req.decoderResult().isSuccess()).isTrue();
        assertThat(req.uri()).isEqualTo("/x");
        assertThat(req.headers().get("host")).isEqualTo("tls.test");
        assertThat(req.headers().names()).noneMatch(n -> n.toLowerCase().startsWith("x-http2"));
        LastHttpContent end = ch.readInbound();
        assertThat(end.content().isReadable()).isFalse();
        end.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aRefusedHeadReachesTheFrontendAsAFailedDecodeAndItsBodyIsDropped() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get().authority("evil.example"), false));
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("secret", StandardCharsets.UTF_8), true));
        HttpRequest req = ch.readInbound();
        assertThat(req.decoderResult().isFailure()).isTrue();
        assertThat(RequestHeadCheck.decoderFailure(req.decoderResult().cause(), 16384).reason())
                .isEqualTo(Reason.SNI_MISMATCH);
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void requestTrailersEndTheBodyAsAFailure() {
        EmbeddedChannel ch = stream();
        ch.writeInbound(new DefaultHttp2HeadersFrame(get().method("POST"), false));
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("a=b", StandardCharsets.UTF_8), false));
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-trailer", "t"), true));
        HttpRequest req = ch.readInbound();
        assertThat(req.decoderResult().isSuccess()).isTrue();
        HttpContent body = ch.readInbound();
        body.release();
        LastHttpContent end = ch.readInbound();
        assertThat(end.decoderResult().isFailure()).isTrue();
        ch.finishAndReleaseAll();
    }

    static final String[] PSEUDO = {":method", ":scheme", ":path", ":authority", ":protocol", ":status", ":bogus"};
    static final Map<String, String[]> VALUES = Map.of(
            ":method", new String[] {"GET", "POST", "CONNECT", "get", "", "G ET", "DELETE"},
            ":scheme", new String[] {"https", "http", "HTTPS", "", "ftp"},
            ":path", new String[] {"/x", "/", "*", "", "http://evil.example/", "//evil.example/", "/a?b=c"},
            ":authority", new String[] {"tls.test", "tls.test:443", "TLS.TEST", "evil.example", "tls.test.evil.example",
                "tls.test@evil.example", "[::1]", "", "tls.test:99999", "evil.example:443"});
    static final String[] NAMES = {"host", "x-http2-scheme", "x-http2-path", "x-http2-stream-id", "X-HTTP2-Scheme",
        "connection", "te", "cookie", "x-a", "transfer-encoding", "content-length", "upgrade", "keep-alive"};
    static final String[] HEADER_VALUES = {"tls.test", "evil.example", "trailers", "gzip", "1", "close", "a=b",
        "chunked", "TLS.test:443", "", "http"};

    @Test
    void seededRandomHeaderBlocksNeverCrashNorForwardAConversionHeaderOrAForeignHost() {
        long seed = System.nanoTime();
        System.out.println("H2RequestMappingTest seed " + seed);
        Random random = new Random(seed);
        int forwarded = 0;
        for (int round = 0; round < 3000; round++) {
            // Half the blocks start valid, so that the mutations are judged on requests the guard would pass.
            Http2Headers h = random.nextBoolean() ? get() : new DefaultHttp2Headers(false);
            int n = random.nextInt(h.isEmpty() ? 7 : 2);
            for (int i = 0; i < n; i++) {
                String name = PSEUDO[random.nextInt(PSEUDO.length)];
                String[] vs = VALUES.getOrDefault(name, new String[] {"x", "200"});
                h.add(name, vs[random.nextInt(vs.length)]);
            }
            int m = random.nextInt(4);
            for (int i = 0; i < m; i++) {
                h.add(NAMES[random.nextInt(NAMES.length)], HEADER_VALUES[random.nextInt(HEADER_VALUES.length)]);
            }
            EmbeddedChannel ch = stream();
            List<Object> out = new ArrayList<>();
            try {
                ch.writeInbound(new DefaultHttp2HeadersFrame(h, random.nextBoolean()));
            } catch (RuntimeException codecRefusal) {
                // Netty's conversion refused what the guard let by: the stream is reset, nothing is forwarded.
                ch.finishAndReleaseAll();
                continue;
            }
            for (Object o; (o = ch.readInbound()) != null; ) {
                out.add(o);
            }
            for (Object o : out) {
                if (o instanceof HttpRequest req && req.decoderResult().isSuccess()) {
                    forwarded++;
                    String at = "seed " + seed + " round " + round + " " + h;
                    assertThat(req.headers().names()).as(at).noneMatch(x -> x.toLowerCase().startsWith("x-http2"));
                    assertThat(req.headers().getAll("host")).as(at).allSatisfy(v -> assertThat(ORIGIN.names(v))
                            .as(at + " host " + v).isTrue());
                    assertThat(req.method().name()).as(at).isNotEqualTo("CONNECT");
                    assertThat(req.uri()).as(at).startsWith("/");
                }
                ReferenceCountUtil.release(o);
            }
            ch.finishAndReleaseAll();
        }
        assertThat(forwarded).as("seed " + seed + ": some blocks were valid").isPositive();
    }
}
