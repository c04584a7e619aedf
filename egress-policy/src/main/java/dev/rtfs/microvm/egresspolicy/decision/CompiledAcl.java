package dev.rtfs.microvm.egresspolicy.decision;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.egresspolicy.net.Cidr;
import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.net.RangeLimit;
import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/** An {@link AgentAcl} in the form the decision path reads: matchers, sets, parsed ranges and its rate bucket. */
public final class CompiledAcl {

    private final AgentAcl acl;
    private final DomainMatcher domains;
    private final Set<String> methods;
    private final Set<Integer> ports;
    private final List<Cidr> ranges;
    private final DlpMode dlp;
    private final Optional<TokenBucket> bucket;
    private final HeldSecrets held;

    private CompiledAcl(AgentAcl acl, Optional<TokenBucket> bucket, HeldSecrets held) {
        if (!held.references().equals(acl.injectHeaders())) {
            // Injection and the held-secret DLP rule must act on what the ACL says: resolve it first.
            throw new IllegalArgumentException("agent " + acl.agentId()
                    + ": its inject_headers are not resolved (HeldSecrets.resolve)");
        }
        this.held = held;
        this.acl = acl;
        this.domains = new DomainMatcher(acl.allowDomains());
        this.methods = Set.copyOf(acl.allowMethods());
        this.ports = Set.copyOf(acl.connectPorts());
        this.ranges = acl.allowRanges().stream().map(r -> {
            Cidr.Result parsed = Cidr.parse(r);
            if (parsed.cidr() == null) {
                throw new IllegalArgumentException("allow_ranges: \"" + r + "\": " + parsed.error());
            }
            // AgentAcl refuses wide ranges when it is built; this is the backstop.
            RangeLimit.tooWide(parsed.cidr()).ifPresent(why -> {
                throw new IllegalArgumentException("allow_ranges: \"" + r + "\": " + why);
            });
            return parsed.cidr();
        }).toList();
        this.dlp = acl.dlp();
        this.bucket = bucket;
    }

    public static CompiledAcl compile(AgentAcl acl, LongSupplier nanoClock) {
        return compile(acl, HeldSecrets.NONE, nanoClock);
    }

    /** {@code held}: the secrets resolved from {@code acl.injectHeaders()} ({@link HeldSecrets#resolve}). */
    public static CompiledAcl compile(AgentAcl acl, HeldSecrets held, LongSupplier nanoClock) {
        return new CompiledAcl(acl, acl.rate().map(r -> new TokenBucket(r.perSecond(), r.burst(), nanoClock)), held);
    }

    /** Recompiles {@code acl}, keeping {@code previous}'s bucket when the rate did not change (no free refill). */
    public static CompiledAcl recompile(AgentAcl acl, CompiledAcl previous, LongSupplier nanoClock) {
        return recompile(acl, HeldSecrets.NONE, previous, nanoClock);
    }

    /** As {@link #recompile(AgentAcl, CompiledAcl, LongSupplier)}, holding {@code held}. */
    public static CompiledAcl recompile(AgentAcl acl, HeldSecrets held, CompiledAcl previous, LongSupplier nanoClock) {
        if (previous != null && previous.acl.rate().equals(acl.rate())) {
            return new CompiledAcl(acl, previous.bucket, held);
        }
        return compile(acl, held, nanoClock);
    }

    /** The secrets this agent ACL's {@code inject_headers} resolved to (none for a step ACL). */
    public HeldSecrets held() {
        return held;
    }

    public AgentAcl acl() {
        return acl;
    }

    boolean allowsHost(String host) {
        return domains.matches(host);
    }

    boolean allowsMethod(String method) {
        return methods.contains(method);
    }

    boolean allowsPort(int port) {
        return ports.contains(port);
    }

    boolean hasRanges() {
        return !ranges.isEmpty();
    }

    boolean rangeAllows(IpAddress address) {
        for (Cidr c : ranges) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    DlpMode dlp() {
        return dlp;
    }

    Optional<TokenBucket> bucket() {
        return bucket;
    }
}
