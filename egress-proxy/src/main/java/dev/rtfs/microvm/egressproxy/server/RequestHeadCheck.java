package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Optional;

/**
 * The checks a request head passes before its target is even parsed: the decoder's own failures, mapped to reason
 * codes, and the framing rules that keep the proxy and the origin agreeing on where a body ends (no smuggling).
 */
final class RequestHeadCheck {

    private RequestHeadCheck() {
    }

    /** The refusal for a head the decoder failed on or whose framing is ambiguous; empty when it may go on. */
    static Optional<Refusal> check(HttpRequest req, int maxHeaderSize) {
        if (req.decoderResult().isFailure()) {
            return Optional.of(decoderFailure(req.decoderResult().cause(), maxHeaderSize));
        }
        return framing(req.headers());
    }

    static Refusal decoderFailure(Throwable cause, int maxHeaderSize) {
        if (cause instanceof H2RequestMapping.Refused h2) {
            return h2.refusal();
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new Refusal(Reason.HEADERS_TOO_LARGE, "request headers exceed " + maxHeaderSize + " bytes");
        }
        if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
            return new Refusal(Reason.BAD_REQUEST, "request line too long");
        }
        if (cause instanceof SmugglingException || String.valueOf(cause.getMessage()).contains("Content-Length")) {
            return new Refusal(Reason.SMUGGLING, String.valueOf(cause.getMessage()));
        }
        return new Refusal(Reason.BAD_REQUEST, "malformed request: " + cause.getClass().getSimpleName());
    }

    static Optional<Refusal> framing(HttpHeaders h) {
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty() && h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return Optional.of(new Refusal(Reason.SMUGGLING, "both Content-Length and Transfer-Encoding"));
        }
        if (!te.isEmpty() && !(te.size() == 1 && te.get(0).trim().equalsIgnoreCase("chunked"))) {
            return Optional.of(new Refusal(Reason.SMUGGLING, "unsupported Transfer-Encoding " + te));
        }
        if (h.getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) {
            return Optional.of(new Refusal(Reason.SMUGGLING, "duplicate Content-Length"));
        }
        return Optional.empty();
    }
}
