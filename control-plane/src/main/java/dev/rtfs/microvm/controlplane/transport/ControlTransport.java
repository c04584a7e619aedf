package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Yields guest connections for the control server. Listening transports may hand out several connections at once;
 * dialing transports hand out the next one only after the previous ended.
 */
public interface ControlTransport extends AutoCloseable {

    /** Blocks until the next guest connection is established (handshake done). */
    SocketChannel next() throws IOException, InterruptedException;

    /** Whether connections may overlap (an accept loop) rather than follow one another (a dial loop). */
    boolean concurrent();

    String describe();

    @Override
    void close() throws IOException;
}
