package dev.rtfs.microvm.egresspolicy.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * The ACL file's {@code resolve} map, consulted before the fallback. Mapping a name to a loopback origin does not
 * make it reachable: the address still goes through classification and needs an {@code allow_ranges} entry.
 */
public final class StaticOverrideResolver implements Resolver {

    private final Map<String, List<InetAddress>> overrides;
    private final Resolver fallback;

    public StaticOverrideResolver(Map<String, List<InetAddress>> overrides, Resolver fallback) {
        this.overrides = Map.copyOf(overrides);
        this.fallback = fallback;
    }

    @Override
    public boolean answersWithoutBlocking(String asciiHost) {
        return overrides.containsKey(asciiHost) || fallback.answersWithoutBlocking(asciiHost);
    }

    @Override
    public List<InetAddress> resolve(String asciiHost) throws UnknownHostException {
        List<InetAddress> fixed = overrides.get(asciiHost);
        return fixed != null ? fixed : fallback.resolve(asciiHost);
    }
}
