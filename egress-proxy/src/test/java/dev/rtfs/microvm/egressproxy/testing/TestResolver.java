package dev.rtfs.microvm.egressproxy.testing;

import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.net.Resolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A resolver over a mutable map that records lookups; never touches real DNS. */
public final class TestResolver implements Resolver {

    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();

    private final Map<String, java.util.Deque<String>> sequences = new ConcurrentHashMap<>();

    /** Each lookup of {@code host} answers the next address of {@code ips} (a DNS rebinding attacker). */
    public TestResolver sequence(String host, String... ips) {
        sequences.put(host, new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(ips)));
        return this;
    }

    public TestResolver map(String host, String... ips) {
        answers.put(host, List.of(ips));
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.add(host);
        java.util.Deque<String> seq = sequences.get(host);
        List<String> a = seq != null && !seq.isEmpty() ? List.of(seq.poll()) : answers.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> out = new ArrayList<>();
        for (String ip : a) {
            out.add(InetAddress.getByAddress(host, IpAddress.parseStrict(ip).orElseThrow().bytes()));
        }
        return out;
    }

    public List<String> lookups() {
        return lookups;
    }
}
