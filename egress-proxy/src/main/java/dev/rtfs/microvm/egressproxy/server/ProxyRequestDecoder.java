package dev.rtfs.microvm.egressproxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.util.List;

/**
 * Netty's request decoder with strict framing: duplicate Content-Length is refused (Netty's default), and a
 * request with both Content-Length and Transfer-Encoding is refused instead of silently dropping the length.
 * After a CONNECT head every further byte is passed on raw: it belongs to the tunnel (the ClientHello), not to
 * another HTTP request.
 */
final class ProxyRequestDecoder extends HttpRequestDecoder {

    private boolean passThrough;

    ProxyRequestDecoder(int maxInitialLineLength, int maxHeaderSize) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(64 * 1024)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (!passThrough) {
            int before = out.size();
            super.decode(ctx, in, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest r && r.decoderResult().isSuccess() && HttpMethod.CONNECT.equals(r.method())) {
                    passThrough = true;
                }
            }
        }
        if (passThrough && in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new SmugglingException("both Content-Length and Transfer-Encoding");
    }
}
