package dev.rtfs.microvm.egressproxy;

import java.net.InetSocketAddress;

/**
 * An agent's listener could not be bound (the port is taken, or the address is not local). The agent's previous
 * rules and listener, if any, stay in force. The control API answers it with 409.
 */
public final class ListenerUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    public ListenerUnavailableException(String agentId, InetSocketAddress address, Throwable cause) {
        super("cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort() + " for agent "
                + agentId + ": " + describe(cause), cause);
        this.address = address;
    }

    public InetSocketAddress address() {
        return address;
    }

    private static String describe(Throwable cause) {
        String m = cause == null ? null : cause.getMessage();
        if (m != null && m.contains("Address already in use")) {
            return "address already in use";
        }
        return m != null ? m : String.valueOf(cause);
    }
}
