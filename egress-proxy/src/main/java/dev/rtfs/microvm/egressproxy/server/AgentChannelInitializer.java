package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import dev.rtfs.microvm.egressproxy.identity.AgentIdentity;
import dev.rtfs.microvm.egressproxy.identity.ListenerIdentity;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokenIdentity;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a client connection on one agent's listener (the listener is the identity) or on the shared
 * listener (each request proves its agent: {@link ServiceAccountTokenIdentity}). Past the cap a connection only gets
 * its 503 ({@link OverCapHandler}): an agent's {@code max_connections} on its own listener; at the shared listener,
 * where the agent is not known on accept, {@link AgentAcl#MAX_MAX_CONNECTIONS} for the listener as a whole.
 */
public final class AgentChannelInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext px;
    private final AgentIdentity identity;
    private final AgentConnections connections;
    private final boolean shared;

    /** A listener of one agent. */
    public AgentChannelInitializer(ProxyContext px, String agentId, AgentConnections connections) {
        this(px, new ListenerIdentity(agentId), connections, false);
    }

    private AgentChannelInitializer(ProxyContext px, AgentIdentity identity, AgentConnections connections,
            boolean shared) {
        this.px = px;
        this.identity = identity;
        this.connections = connections;
        this.shared = shared;
    }

    /** The listener shared by many agents, each request proving its agent with a token. */
    public static AgentChannelInitializer shared(ProxyContext px, ServiceAccountTokenIdentity identity,
            AgentConnections connections) {
        return new AgentChannelInitializer(px, identity, connections, true);
    }

    @Override
    protected void initChannel(Channel ch) {
        String agentId = identity.agentBeforeRequest();
        int cap = shared ? AgentAcl.MAX_MAX_CONNECTIONS : px.store().rules(agentId).map(EffectiveRules::maxConnections)
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
        installHttp(ch, px, new FrontendHandler(px, identity));
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
