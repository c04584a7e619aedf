package dev.rtfs.microvm.egressproxy.identity;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A shared listener's identity check: the request's {@code Proxy-Authorization} carries a projected ServiceAccount
 * token; the agent is the one whose ACL names that ServiceAccount ({@code service_account}). Every request is
 * checked (a keep-alive connection proves itself per request); the token is never part of an answer or a record.
 */
public final class ServiceAccountTokenIdentity implements AgentIdentity {

    private final ServiceAccountTokens tokens;
    private final Function<String, Optional<String>> agentOfServiceAccount;

    public ServiceAccountTokenIdentity(ServiceAccountTokens tokens,
            Function<String, Optional<String>> agentOfServiceAccount) {
        this.tokens = tokens;
        this.agentOfServiceAccount = agentOfServiceAccount;
    }

    @Override
    public Identified identify(List<String> proxyAuthorization) {
        return switch (ProxyAuthorization.parse(proxyAuthorization)) {
            case ProxyAuthorization.Parsed.Refused r -> new Identified.Refused(r.cause(), r.detail());
            case ProxyAuthorization.Parsed.Token t -> switch (tokens.verify(t.token())) {
                case ServiceAccountTokens.Verdict.Invalid i -> new Identified.Refused(i.cause(), i.detail());
                case ServiceAccountTokens.Verdict.Valid v -> agentOfServiceAccount.apply(v.serviceAccount())
                        .<Identified>map(Identified.Agent::new)
                        .orElseGet(() -> new Identified.Refused(AuthFailure.UNKNOWN_SERVICE_ACCOUNT,
                                "no agent has service_account " + v.serviceAccount()));
            };
        };
    }

    @Override
    public boolean consumesProxyAuthorization() {
        return true;
    }

    @Override
    public String agentBeforeRequest() {
        return "-";
    }
}
