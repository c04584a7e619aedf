package dev.rtfs.microvm.egress.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The pipeline of a client connection on one agent's listener; the listener alone decides the agent identity. */
public final class AgentChannelInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext px;
    private final String agentId;
    private final ChannelGroup connections;

    public AgentChannelInitializer(ProxyContext px, String agentId, ChannelGroup connections) {
        this.px = px;
        this.agentId = agentId;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        connections.add(ch);
        FrontendHandler frontend = new FrontendHandler(px, agentId);
        ch.pipeline().addLast(new IdleStateHandler(0, 0, px.config().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(frontend.new RawByteCounter());
        ch.pipeline().addLast(HttpResponseEncoderName.DECODER,
                new ProxyRequestDecoder(px.config().maxInitialLineLength(), px.config().maxHeaderSize()));
        ch.pipeline().addLast(HttpResponseEncoderName.ENCODER, new HttpResponseEncoder());
        ch.pipeline().addLast(frontend);
    }
}
