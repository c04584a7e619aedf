package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import dev.rtfs.microvm.egressproxy.tls.ClientHelloParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete ClientHello checked against the host its CONNECT was decided on. Every listed server name must be that
 * host, since the origin may serve any of them. The refusals come in order, so report mode can note the first and
 * go on; {@code tls} false means no tunnel can open whatever the mode.
 */
record ClientHelloCheck(List<Refusal> refusals, boolean tls) {

    ClientHelloCheck {
        refusals = List.copyOf(refusals);
    }

    /** {@code hello} is a final parse (not NeedMore); {@code connectHost} the decided, normalized host. */
    static ClientHelloCheck of(ClientHelloParser.Result hello, String connectHost) {
        return switch (hello) {
            case ClientHelloParser.Sni sni -> {
                List<Refusal> out = new ArrayList<>();
                for (String listed : sni.hostNames()) {
                    NormalizedHost n = HostNormalizer.normalize(listed);
                    boolean same = n instanceof NormalizedHost.Name name && name.ascii().equals(connectHost);
                    if (!same) {
                        out.add(new Refusal(Reason.SNI_MISMATCH, "SNI \"" + listed + "\" != CONNECT host "
                                + connectHost + (sni.hostNames().size() > 1 ? " (one of " + sni.hostNames().size()
                                + " server names)" : "")));
                    }
                }
                yield new ClientHelloCheck(out, true);
            }
            case ClientHelloParser.NoSni none ->
                    new ClientHelloCheck(List.of(new Refusal(Reason.SNI_MISSING, "ClientHello without SNI")), true);
            case ClientHelloParser.NotTls not ->
                    new ClientHelloCheck(List.of(new Refusal(Reason.NOT_TLS, not.why())), false);
            case ClientHelloParser.NeedMore more -> throw new IllegalArgumentException("the ClientHello is incomplete");
        };
    }
}
