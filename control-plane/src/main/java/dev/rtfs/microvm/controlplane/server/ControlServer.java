package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.transport.ControlTransport;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host end of the control plane: takes guest connections from a {@link ControlTransport}, speaks the strict
 * protocol, streams events into the {@link ChainStore} and serves health, metrics and the admission cache. The
 * supervisor talks to guests through {@link #agent(String)}. Nothing a guest sends makes the host run anything.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final ControlTransport transport;
    private final ChainStore chain;
    private final AdmissionCache cache;
    private final ControlServerOptions options;
    private final MessageCodec codec = new MessageCodec();
    private final ProtocolCounters counters = new ProtocolCounters();
    private final Map<String, AgentChannel> agents = new ConcurrentHashMap<>();
    private final Set<GuestConnection> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private Thread acceptor;

    public ControlServer(ControlTransport transport, ChainStore chain, AdmissionCache cache,
                         ControlServerOptions options) {
        this.transport = transport;
        this.chain = chain;
        this.cache = cache;
        this.options = options;
    }

    public synchronized ControlServer start() {
        if (acceptor == null) acceptor = Thread.ofVirtual().name("control-accept").start(this::acceptLoop);
        return this;
    }

    public AgentChannel agent(String agentId) {
        return agents.computeIfAbsent(agentId, AgentChannel::new);
    }

    public ProtocolCounters counters() {
        return counters;
    }

    public int liveConnections() {
        return live.size();
    }

    private void acceptLoop() {
        LOG.info("control plane serving on {}", transport.describe());
        while (!closed) {
            SocketChannel channel;
            try {
                channel = transport.next();
            } catch (IOException e) {
                if (!closed) LOG.warn("control transport {} failed: {}", transport.describe(), e.toString());
                break;
            } catch (InterruptedException e) {
                break;
            }
            counters.connection();
            GuestConnection connection = new GuestConnection(channel, this);
            live.add(connection);
            if (closed) {
                connection.close();
                break;
            }
            if (transport.concurrent()) Thread.ofVirtual().name("control-conn").start(connection::serve);
            else connection.serve();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        transport.close();
        Thread t = acceptor;
        if (t != null) t.interrupt();
        for (GuestConnection c : live) c.close();
    }

    void closed(GuestConnection connection) {
        live.remove(connection);
    }

    MessageCodec codec() {
        return codec;
    }

    ChainStore chain() {
        return chain;
    }

    AdmissionCache cache() {
        return cache;
    }

    ControlServerOptions options() {
        return options;
    }
}
