package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.decision.Decision;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import dev.rtfs.microvm.egresspolicy.decision.PolicyEngine;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.decision.RequestTarget;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import dev.rtfs.microvm.egresspolicy.net.Resolver;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Takes one connection's policy decisions with at most one DNS lookup each. A name that could block is decided on
 * the resolver executor and the answer handed back on the connection's event loop; literals, invalid hosts and names
 * answered from memory are decided in place. The lookup's answers are kept, so a tunnel can be re-checked later
 * without a second lookup.
 */
final class PolicyDecider {

    private final ProxyContext px;
    private volatile List<InetAddress> answers;

    PolicyDecider(ProxyContext px) {
        this.px = px;
    }

    /** Decides {@code t} under {@code rules}; {@code then} runs on {@code loop} unless {@code stillWanted} says no. */
    void decide(EffectiveRules rules, RequestTarget t, EventLoop loop, BooleanSupplier stillWanted,
            Consumer<Decision> then) {
        EnforcementMode mode = px.mode().get();
        answers = null;
        Resolver once = host -> answers = px.config().resolver().resolve(host);
        NormalizedHost n = HostNormalizer.normalize(t.rawHost());
        if (!(n instanceof NormalizedHost.Name name) || px.config().resolver().answersWithoutBlocking(name.ascii())) {
            then.accept(PolicyEngine.decide(rules, t, mode, once));
            return;
        }
        px.resolverExecutor().execute(() -> {
            Decision d;
            try {
                d = PolicyEngine.decide(rules, t, mode, once);
            } catch (RuntimeException e) {
                d = Decision.deny(Reason.DNS_FAILURE, t.rawHost(), "decision failed: " + e);
            }
            Decision fin = d;
            loop.execute(() -> {
                if (stillWanted.getAsBoolean()) {
                    then.accept(fin);
                }
            });
        });
    }

    /** The addresses the last decision's lookup answered; null when it made none. */
    List<InetAddress> answers() {
        return answers;
    }

    void forget() {
        answers = null;
    }
}
