package dev.rtfs.microvm.egresspolicy.decision;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.net.AddressClassifier;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import dev.rtfs.microvm.egresspolicy.net.Resolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The target decision (egress-policy/README.md, decision order), without sockets: normalize the host, refuse IP literals, match the
 * allowlist, check method or CONNECT port, resolve once through the {@link Resolver} and classify every answer.
 * The returned {@link Decision#pinned()} is the only address the caller may dial.
 *
 * <p>In report mode a reportable refusal is remembered and the checks go on, so the request can still be pinned
 * and forwarded with outcome {@link Outcome#REPORT}; protocol faults (bad host, DNS failure) deny in any mode.
 */
public final class PolicyEngine {

    private PolicyEngine() {}

    public static Decision decide(EffectiveRules rules, RequestTarget target, EnforcementMode mode, Resolver resolver) {
        Pending p = new Pending(mode);
        if (rules.betweenSteps() && p.refuse(Reason.BETWEEN_STEPS, "no step ACL is set", target.rawHost())) {
            return p.denied;
        }
        String host;
        Optional<InetAddress> literal = Optional.empty();
        switch (HostNormalizer.normalize(target.rawHost())) {
            case NormalizedHost.Invalid inv -> {
                return Decision.deny(Reason.INVALID_HOST, target.rawHost(), inv.reason());
            }
            case NormalizedHost.Literal lit -> {
                host = lit.address().map(IpAddress::toString).orElse(target.rawHost());
                if (p.refuse(Reason.IP_LITERAL, "IP literal \"" + target.rawHost() + "\"", host)) {
                    return p.denied;
                }
                if (lit.address().isEmpty()) {
                    return Decision.deny(Reason.IP_LITERAL, host, "unparseable numeric host \"" + target.rawHost() + "\"");
                }
                literal = Optional.of(lit.address().get().toInetAddress());
            }
            case NormalizedHost.Name name -> host = name.ascii();
        }
        if (literal.isEmpty() && !rules.allowsHost(host)
                && p.refuse(Reason.DOMAIN_NOT_ALLOWED, host + " is not in allow_domains", host)) {
            return p.denied;
        }
        if (target.kind() == RequestTarget.Kind.CONNECT) {
            if (!rules.allowsPort(target.port())
                    && p.refuse(Reason.PORT_NOT_ALLOWED, "CONNECT port " + target.port() + " not in connect_ports", host)) {
                return p.denied;
            }
        } else if (!rules.allowsMethod(target.method())
                && p.refuse(Reason.METHOD_NOT_ALLOWED, target.method() + " not in allow_methods", host)) {
            return p.denied;
        }
        for (String override : target.methodOverrides()) {
            if ((override.isEmpty() || !rules.allowsMethod(override)) && p.refuse(Reason.METHOD_OVERRIDE,
                    "method-override header asks for " + (override.isEmpty() ? "an empty method" : override)
                            + ", not in allow_methods", host)) {
                return p.denied;
            }
        }

        List<InetAddress> answers;
        if (literal.isPresent()) {
            answers = List.of(literal.get());
        } else {
            try {
                answers = resolver.resolve(host);
            } catch (UnknownHostException e) {
                return Decision.deny(Reason.DNS_FAILURE, host, "cannot resolve " + host);
            } catch (RuntimeException e) {
                return Decision.deny(Reason.DNS_FAILURE, host, "resolver failed: " + e.getMessage());
            }
            if (answers == null || answers.isEmpty()) {
                return Decision.deny(Reason.DNS_FAILURE, host, "no address for " + host);
            }
        }
        // Any denied answer taints the name: an attacker-controlled zone could mix a public and a private address.
        for (InetAddress a : answers) {
            IpAddress ip = IpAddress.of(a);
            Optional<String> cls = AddressClassifier.deniedClass(ip);
            if (cls.isPresent() && !(literal.isEmpty() && rules.rangeAllows(ip))
                    && p.refuse(Reason.ADDRESS_DENIED, host + " -> " + ip + " is " + cls.get(), host)) {
                return p.denied;
            }
        }
        InetAddress pinned = answers.get(0);
        if (p.firstReason != null) {
            return new Decision(Outcome.REPORT, p.firstReason, host, Optional.of(pinned), p.firstDetail);
        }
        return new Decision(Outcome.ALLOW, Reason.ALLOWED, host, Optional.of(pinned), "pinned " + IpAddress.of(pinned));
    }

    /** Tracks the first reportable refusal under report mode. */
    private static final class Pending {
        final EnforcementMode mode;
        Reason firstReason;
        String firstDetail;
        Decision denied;

        Pending(EnforcementMode mode) {
            this.mode = mode;
        }

        /** True when the caller must stop with {@link #denied}. */
        boolean refuse(Reason reason, String detail, String host) {
            if (mode == EnforcementMode.REPORT && reason.reportable()) {
                if (firstReason == null) {
                    firstReason = reason;
                    firstDetail = detail;
                }
                return false;
            }
            denied = Decision.deny(reason, host, detail);
            return true;
        }
    }
}
