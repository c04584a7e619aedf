package dev.rtfs.microvm.egressproxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One direction of a {@link Tunnel}, on the channel it reads from: forwards what it reads to {@code peer}, counted
 * against the tunnel's cap. Backpressure: when the peer's outbound buffer passes its high water mark this side
 * stops reading; when this side's own outbound buffer drains, the peer resumes reading. So at most one water mark
 * of data is buffered per direction, whatever the speed of either end. A close of either side closes the other
 * once what was read is flushed.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private final Tunnel tunnel;
    private final Tunnel.Direction direction;
    private final Channel peer;

    Relay(Tunnel tunnel, Tunnel.Direction direction, Channel peer) {
        this.tunnel = tunnel;
        this.direction = direction;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b) || !tunnel.carried(direction, b.readableBytes())) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(b, peer.voidPromise());
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
