package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

/** The head checks that run before a target is parsed: decoder failures and ambiguous framing. */
class RequestHeadCheckTest {

    private static HttpRequest post() {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "http://origin.test/");
    }

    @Test
    void bothContentLengthAndTransferEncodingIsSmuggling() {
        HttpRequest req = post();
        req.headers().add("Content-Length", "5").add("Transfer-Encoding", "chunked");
        assertThat(RequestHeadCheck.check(req, 8192)).contains(
                new Refusal(Reason.SMUGGLING, "both Content-Length and Transfer-Encoding"));
    }

    @Test
    void aTransferEncodingOtherThanOneChunkedIsSmuggling() {
        HttpRequest gzip = post();
        gzip.headers().add("Transfer-Encoding", "gzip, chunked");
        HttpRequest twice = post();
        twice.headers().add("Transfer-Encoding", "chunked").add("Transfer-Encoding", "chunked");
        assertThat(RequestHeadCheck.check(gzip, 8192)).get().extracting(Refusal::reason).isEqualTo(Reason.SMUGGLING);
        assertThat(RequestHeadCheck.check(twice, 8192)).get().extracting(Refusal::reason).isEqualTo(Reason.SMUGGLING);
    }

    @Test
    void aDuplicateContentLengthIsSmuggling() {
        HttpRequest req = post();
        req.headers().add("Content-Length", "5").add("Content-Length", "5");
        assertThat(RequestHeadCheck.check(req, 8192)).contains(new Refusal(Reason.SMUGGLING, "duplicate Content-Length"));
    }

    @Test
    void aSingleChunkedOrLengthFramingPasses() {
        HttpRequest chunked = post();
        chunked.headers().add("Transfer-Encoding", "Chunked");
        HttpRequest length = post();
        length.headers().add("Content-Length", "5");
        assertThat(RequestHeadCheck.check(chunked, 8192)).isEmpty();
        assertThat(RequestHeadCheck.check(length, 8192)).isEmpty();
    }

    @Test
    void decoderFailuresMapToTheirReasonCodes() {
        assertThat(RequestHeadCheck.decoderFailure(new TooLongHttpHeaderException("x"), 8192))
                .isEqualTo(new Refusal(Reason.HEADERS_TOO_LARGE, "request headers exceed 8192 bytes"));
        assertThat(RequestHeadCheck.decoderFailure(new TooLongHttpLineException("x"), 8192))
                .isEqualTo(new Refusal(Reason.BAD_REQUEST, "request line too long"));
        assertThat(RequestHeadCheck.decoderFailure(new IllegalArgumentException("Multiple Content-Length values"), 8192))
                .extracting(Refusal::reason).isEqualTo(Reason.SMUGGLING);
        assertThat(RequestHeadCheck.decoderFailure(new IllegalArgumentException("odd"), 8192))
                .isEqualTo(new Refusal(Reason.BAD_REQUEST, "malformed request: IllegalArgumentException"));
    }

    @Test
    void aFailedDecodeIsRefusedBeforeItsHeadersAreLookedAt() {
        HttpRequest req = post();
        req.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("x")));
        assertThat(RequestHeadCheck.check(req, 100)).get().extracting(Refusal::reason)
                .isEqualTo(Reason.HEADERS_TOO_LARGE);
    }
}
