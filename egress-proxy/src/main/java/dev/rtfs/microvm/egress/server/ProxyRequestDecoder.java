package dev.rtfs.microvm.egress.server;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with strict framing: duplicate Content-Length is refused (Netty's default), and a
 * request with both Content-Length and Transfer-Encoding is refused instead of silently dropping the length.
 */
final class ProxyRequestDecoder extends HttpRequestDecoder {

    ProxyRequestDecoder(int maxInitialLineLength, int maxHeaderSize) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(64 * 1024)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true));
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new SmugglingException("both Content-Length and Transfer-Encoding");
    }
}
