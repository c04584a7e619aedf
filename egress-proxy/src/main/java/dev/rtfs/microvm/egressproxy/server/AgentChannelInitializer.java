package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a client connection on one agent's listener; the listener alone decides the agent identity.
 * Past the agent's {@code max_connections} a connection only gets its 503 ({@link OverCapHandler}).
 */
public final class AgentChannelInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext px;
    private final String agentId;
    private final AgentConnections connections;

    public AgentChannelInitializer(ProxyContext px, String agentId, AgentConnections connections) {
        this.px = px;
        this.agentId = agentId;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        int cap = px.store().rules(agentId).map(EffectiveRules::maxConnections)
                .orElse(AgentAcl.DEFAULT_MAX_CONNECTIONS);
        if (!connections.tryAdmit(ch, cap)) {
            if (!connections.tryHoldRefusal(ch)) {
                // Already answering MAX_REFUSING others: no buffers, no timers for this one.
                OverCapHandler.record(px, agentId, "-", "-", 0,
                        OverCapHandler.detail(cap) + "; closed on accept", System.nanoTime());
                ch.close();
                return;
            }
            ch.pipeline().addLast(HttpResponseEncoderName.DECODER,
                    new ProxyRequestDecoder(px.config().maxInitialLineLength(), px.config().maxHeaderSize()));
            ch.pipeline().addLast(HttpResponseEncoderName.ENCODER, new HttpResponseEncoder());
            ch.pipeline().addLast(new OverCapHandler(px, agentId, cap));
            return;
        }
        installHttp(ch, px, new FrontendHandler(px, agentId));
    }

    /**
     * The HTTP request pipeline behind whatever is already there: the plain listener's, and the same one behind the
     * TLS handler of an intercepted tunnel, so decrypted requests get exactly the checks plain HTTP gets.
     */
    static void installHttp(Channel ch, ProxyContext px, FrontendHandler frontend) {
        ch.pipeline().addLast(new IdleStateHandler(0, 0, px.config().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(frontend.new RawByteCounter());
        ch.pipeline().addLast(HttpResponseEncoderName.DECODER,
                new ProxyRequestDecoder(px.config().maxInitialLineLength(), px.config().maxHeaderSize()));
        ch.pipeline().addLast(HttpResponseEncoderName.ENCODER, new HttpResponseEncoder());
        ch.pipeline().addLast(frontend);
    }
}
