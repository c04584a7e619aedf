package dev.rtfs.microvm.orchestrator.effect;

import java.util.Objects;

/**
 * {@code [:network {:domains [...] :methods [...] :ports [...]}]}. Domains are lowercase hostnames or
 * {@code *.suffix} patterns; methods uppercase HTTP methods; ports 1..65535.
 */
public record NetworkEffect(ParamSet<String> domains, ParamSet<String> methods, ParamSet<Integer> ports)
        implements Effect {

    public NetworkEffect {
        Objects.requireNonNull(domains);
        Objects.requireNonNull(methods);
        Objects.requireNonNull(ports);
    }

    public static NetworkEffect unconstrained() {
        return new NetworkEffect(ParamSet.any(), ParamSet.any(), ParamSet.any());
    }

    @Override public EffectKind kind() { return EffectKind.NETWORK; }

    @Override
    public boolean within(Effect other) {
        return other instanceof NetworkEffect o
                && domains.within(o.domains, Covering.DOMAINS)
                && methods.within(o.methods, Covering.equality())
                && ports.within(o.ports, Covering.equality());
    }

    @Override
    public Effect intersect(Effect other) {
        requireSameKind(other);
        NetworkEffect o = (NetworkEffect) other;
        return new NetworkEffect(domains.intersect(o.domains, Covering.DOMAINS),
                methods.intersect(o.methods, Covering.equality()), ports.intersect(o.ports, Covering.equality()));
    }

    @Override
    public Effect union(Effect other) {
        requireSameKind(other);
        NetworkEffect o = (NetworkEffect) other;
        return new NetworkEffect(domains.union(o.domains, Covering.DOMAINS),
                methods.union(o.methods, Covering.equality()), ports.union(o.ports, Covering.equality()));
    }

    @Override public boolean isEmpty() { return !emptyParameter().isEmpty(); }

    @Override
    public String emptyParameter() {
        if (domains.isEmpty()) return "domains";
        if (methods.isEmpty()) return "methods";
        if (ports.isEmpty()) return "ports";
        return "";
    }
}
