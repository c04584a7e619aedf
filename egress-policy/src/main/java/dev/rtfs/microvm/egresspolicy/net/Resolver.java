package dev.rtfs.microvm.egresspolicy.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution seam. The proxy calls it exactly once per request and dials only an address it returned
 * (DNS pinning). Implementations may block; the proxy never calls them on an event loop.
 */
@FunctionalInterface
public interface Resolver {

    /** All addresses of an ASCII host name; never empty on success. */
    List<InetAddress> resolve(String asciiHost) throws UnknownHostException;

    /** True when {@link #resolve} answers {@code asciiHost} from memory, so the proxy may call it on an event loop. */
    default boolean answersWithoutBlocking(String asciiHost) {
        return false;
    }
}
