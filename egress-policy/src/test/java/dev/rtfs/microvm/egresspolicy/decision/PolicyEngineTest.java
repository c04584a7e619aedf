package dev.rtfs.microvm.egresspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.net.Resolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure decision of DESIGN §8 — no sockets: resolvers here are maps that count their calls. */
class PolicyEngineTest {

    /** A resolver over a fixed map that records every lookup; literals are built without any lookup. */
    static final class MapResolver implements Resolver {
        final Map<String, List<String>> answers;
        final List<String> lookups = new ArrayList<>();

        MapResolver(Map<String, List<String>> answers) {
            this.answers = answers;
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            lookups.add(host);
            List<String> a = answers.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new ArrayList<>();
            for (String ip : a) {
                out.add(InetAddress.getByAddress(host, dev.rtfs.microvm.egresspolicy.net.IpAddress.parseStrict(ip).orElseThrow().bytes()));
            }
            return out;
        }
    }

    static EffectiveRules rules(String json) {
        return EffectiveRules.agentOnly(CompiledAcl.compile(AclCodec.parseAgent(json, "a"), System::nanoTime));
    }

    static final EffectiveRules ALLOW_EXAMPLE = rules("""
            {"allow_domains":["allowed.test","*.wild.test","bücher.test","localhost","private.test","mixed.test",
                              "loop.test","v6.test"],
             "allow_methods":["GET","POST"],"connect_ports":[443,8443]}""");

    static final MapResolver DNS = new MapResolver(Map.of(
            "allowed.test", List.of("93.184.216.34"),
            "a.wild.test", List.of("93.184.216.35"),
            "b.c.wild.test", List.of("93.184.216.36"),
            "xn--bcher-kva.test", List.of("93.184.216.37"),
            "private.test", List.of("10.1.2.3"),
            "mixed.test", List.of("93.184.216.34", "192.168.1.1"),
            "loop.test", List.of("127.0.0.1"),
            "v6.test", List.of("2606:2800:220:1:248:1893:25c8:1946"),
            "localhost", List.of("127.0.0.1")));

    static Decision http(EffectiveRules r, String host) {
        return PolicyEngine.decide(r, RequestTarget.http("GET", host, 80), EnforcementMode.ENFORCE, DNS);
    }

    @ParameterizedTest(name = "{0} allowed, pinned {1}")
    @CsvSource({
        "allowed.test, 93.184.216.34",
        "ALLOWED.Test., 93.184.216.34",
        "a.wild.test, 93.184.216.35",
        "b.c.wild.test, 93.184.216.36",
        "bücher.test, 93.184.216.37",
        "v6.test, 2606:2800:220:1:248:1893:25c8:1946"})
    void allowsListedNamesAndPinsTheFirstAnswer(String host, String pinned) throws Exception {
        Decision d = http(ALLOW_EXAMPLE, host);
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.pinned()).map(InetAddress::getHostAddress).contains(InetAddress.getByName(pinned).getHostAddress());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // IP literals in every notation
        "127.0.0.1, ip-literal",
        "2130706433, ip-literal",
        "0x7f.1, ip-literal",
        "0x7f000001, ip-literal",
        "017700000001, ip-literal",
        "0177.0.0.1, ip-literal",
        "127.1, ip-literal",
        "127.0.1, ip-literal",
        "[::1], ip-literal",
        "[::ffff:127.0.0.1], ip-literal",
        "[::ffff:7f00:1], ip-literal",
        "0.0.0.0, ip-literal",
        "0, ip-literal",
        "169.254.169.254, ip-literal",
        "10.0.0.1, ip-literal",
        "172.16.0.1, ip-literal",
        "192.168.0.1, ip-literal",
        "100.64.0.1, ip-literal",
        "[fc00::1], ip-literal",
        "[fe80::1], ip-literal",
        "[64:ff9b::7f00:1], ip-literal",
        "[2002:7f00:1::], ip-literal",
        "93.184.216.34, ip-literal",
        "１２７.０.０.１, ip-literal",
        "999.1.1.1, ip-literal",
        // names
        "wild.test, domain-not-allowed",
        "evil.test, domain-not-allowed",
        "allowed.test.evil.test, domain-not-allowed",
        "evilallowed.test, domain-not-allowed",
        "localhost, address-denied",
        "private.test, address-denied",
        "mixed.test, address-denied",
        "loop.test, address-denied",
        "bad_host^, invalid-host",
        "a..b, invalid-host",
        "'', invalid-host",
        "allowed.test%00, invalid-host"})
    void refuses(String host, String reason) {
        MapResolver dns = new MapResolver(DNS.answers);
        Decision d = PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("GET", host, 80), EnforcementMode.ENFORCE, dns);
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.reason().code()).isEqualTo(reason);
        assertThat(d.pinned()).isEmpty();
        if (!reason.equals("address-denied")) {
            assertThat(dns.lookups).as("no DNS before the name is allowed").isEmpty();
        }
    }

    @Test
    void allowRangesLetAnAllowedNameResolveIntoADeniedRangeButNeverALiteral() {
        EffectiveRules r = rules("""
                {"allow_domains":["loop.test","private.test"],"allow_ranges":["127.0.0.0/8"]}""");
        assertThat(http(r, "loop.test").outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(http(r, "private.test").reason()).isEqualTo(Reason.ADDRESS_DENIED);
        assertThat(http(r, "127.0.0.1").reason()).isEqualTo(Reason.IP_LITERAL);
        assertThat(http(r, "localhost").reason()).isEqualTo(Reason.DOMAIN_NOT_ALLOWED);
    }

    @Test
    void resolvesOnceAndPinsTheFirstAnswerEvenIfTheNextLookupWouldDiffer() {
        List<String> answers = new ArrayList<>(List.of("93.184.216.34", "127.0.0.1"));
        int[] calls = {0};
        Resolver rebinding = host -> {
            calls[0]++;
            return List.of(InetAddress.getByAddress(host,
                    dev.rtfs.microvm.egresspolicy.net.IpAddress.parseStrict(answers.remove(0)).orElseThrow().bytes()));
        };
        Decision d = PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("GET", "allowed.test", 80),
                EnforcementMode.ENFORCE, rebinding);
        assertThat(calls[0]).isEqualTo(1);
        assertThat(d.pinned()).map(InetAddress::getHostAddress).contains("93.184.216.34");
    }

    @Test
    void methodAndPortAllowlists() {
        assertThat(PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("DELETE", "allowed.test", 80),
                EnforcementMode.ENFORCE, DNS).reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
        assertThat(PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.connect("allowed.test", 22),
                EnforcementMode.ENFORCE, DNS).reason()).isEqualTo(Reason.PORT_NOT_ALLOWED);
        assertThat(PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.connect("allowed.test", 8443),
                EnforcementMode.ENFORCE, DNS).outcome()).isEqualTo(Outcome.ALLOW);
        // Defaults: GET only, port 443 only.
        EffectiveRules defaults = rules("{\"allow_domains\":[\"allowed.test\"]}");
        assertThat(PolicyEngine.decide(defaults, RequestTarget.http("POST", "allowed.test", 80),
                EnforcementMode.ENFORCE, DNS).reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
        assertThat(PolicyEngine.decide(defaults, RequestTarget.connect("allowed.test", 8443),
                EnforcementMode.ENFORCE, DNS).reason()).isEqualTo(Reason.PORT_NOT_ALLOWED);
        assertThat(PolicyEngine.decide(defaults, RequestTarget.connect("allowed.test", 443),
                EnforcementMode.ENFORCE, DNS).outcome()).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void reportModeLetsPolicyRefusalsThroughButNotProtocolFaultsOrDeniedAddresses() {
        Decision d = PolicyEngine.decide(rules("{\"allow_domains\":[\"other.test\"]}"),
                RequestTarget.http("GET", "allowed.test", 80), EnforcementMode.REPORT, DNS);
        assertThat(d.outcome()).isEqualTo(Outcome.REPORT);
        assertThat(d.reason()).isEqualTo(Reason.DOMAIN_NOT_ALLOWED);
        assertThat(d.pinned()).isPresent();
        // The SSRF guard holds in report mode: a denied address class is never pinned.
        Decision priv = PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("GET", "private.test", 80),
                EnforcementMode.REPORT, DNS);
        assertThat(priv.outcome()).isEqualTo(Outcome.DENY);
        assertThat(priv.reason()).isEqualTo(Reason.ADDRESS_DENIED);
        assertThat(priv.pinned()).isEmpty();
        Decision literal = PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("GET", "169.254.169.254", 80),
                EnforcementMode.REPORT, DNS);
        assertThat(literal.outcome()).isEqualTo(Outcome.DENY);
        assertThat(literal.reason()).isEqualTo(Reason.ADDRESS_DENIED);
        Decision bad = PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("GET", "a..b", 80),
                EnforcementMode.REPORT, DNS);
        assertThat(bad.outcome()).isEqualTo(Outcome.DENY);
        Decision unknown = PolicyEngine.decide(ALLOW_EXAMPLE, RequestTarget.http("GET", "nowhere.test", 80),
                EnforcementMode.REPORT, DNS);
        assertThat(unknown.reason()).isEqualTo(Reason.DNS_FAILURE);
    }

    @Test
    void stepAclIntersectsAndBetweenStepsDeniesAll() {
        PolicyStore store = new PolicyStore(System::nanoTime);
        store.putAgent(AclCodec.parseAgent("""
                {"agent_id":"a","allow_domains":["allowed.test","*.wild.test"],"allow_methods":["GET","POST"]}"""));
        store.setStep("a", AclCodec.parseAgent("""
                {"agent_id":"a","step":"Fetch","allow_domains":["a.wild.test","evil.test"],"allow_methods":["GET","PUT"]}"""));
        EffectiveRules r = store.rules("a").orElseThrow();
        assertThat(r.stepName()).contains("Fetch");
        assertThat(http(r, "a.wild.test").outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(http(r, "allowed.test").reason()).isEqualTo(Reason.DOMAIN_NOT_ALLOWED);
        assertThat(http(r, "evil.test").reason()).isEqualTo(Reason.DOMAIN_NOT_ALLOWED);
        assertThat(PolicyEngine.decide(r, RequestTarget.http("POST", "a.wild.test", 80), EnforcementMode.ENFORCE, DNS)
                .reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
        assertThat(PolicyEngine.decide(r, RequestTarget.http("PUT", "a.wild.test", 80), EnforcementMode.ENFORCE, DNS)
                .reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);

        store.clearStep("a");
        assertThat(http(store.rules("a").orElseThrow(), "allowed.test").reason()).isEqualTo(Reason.BETWEEN_STEPS);
        store.endPlan("a");
        assertThat(http(store.rules("a").orElseThrow(), "allowed.test").outcome()).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void replacingAnAgentKeepsItsStepAndItsBucketWhenTheRateIsUnchanged() {
        long[] now = {0};
        PolicyStore store = new PolicyStore(() -> now[0]);
        store.putAgent(AclCodec.parseAgent("{\"agent_id\":\"a\",\"allow_domains\":[\"x.test\"],\"rate\":{\"per_second\":1,\"burst\":1}}"));
        assertThat(store.rules("a").orElseThrow().tryTakeToken()).isTrue();
        store.putAgent(AclCodec.parseAgent("{\"agent_id\":\"a\",\"allow_domains\":[\"y.test\"],\"rate\":{\"per_second\":1,\"burst\":1}}"));
        assertThat(store.rules("a").orElseThrow().tryTakeToken()).as("no free refill by re-putting").isFalse();
        now[0] += 1_000_000_000L;
        assertThat(store.rules("a").orElseThrow().tryTakeToken()).isTrue();
    }

    @Test
    void theStepBucketLimitsOnTopOfTheAgentsAndEndsWithTheStep() {
        long[] now = {0};
        PolicyStore store = new PolicyStore(() -> now[0]);
        store.putAgent(AclCodec.parseAgent("{\"agent_id\":\"a\",\"allow_domains\":[\"x.test\"]}"));
        store.setStep("a", AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"S\",\"allow_domains\":[\"x.test\"],"
                + "\"rate\":{\"per_second\":1,\"burst\":1}}"));
        assertThat(store.rules("a").orElseThrow().tryTakeToken()).isTrue();
        assertThat(store.rules("a").orElseThrow().tryTakeToken()).as("step bucket empty").isFalse();
        assertThat(store.rules("a").orElseThrow().retryAfterSeconds()).isEqualTo(1);
        now[0] += 1_000_000_000L;
        assertThat(store.rules("a").orElseThrow().tryTakeToken()).isTrue();
        store.endPlan("a");
        for (int i = 0; i < 5; i++) {
            assertThat(store.rules("a").orElseThrow().tryTakeToken()).as("agent alone is unlimited").isTrue();
        }
    }

    @Test
    void tokenBucketRefills() {
        long[] now = {0};
        TokenBucket b = new TokenBucket(2, 3, () -> now[0]);
        assertThat(b.tryTake()).isTrue();
        assertThat(b.tryTake()).isTrue();
        assertThat(b.tryTake()).isTrue();
        assertThat(b.tryTake()).isFalse();
        assertThat(b.secondsUntilToken()).isEqualTo(1);
        now[0] += 500_000_000L;
        assertThat(b.tryTake()).isTrue();
        assertThat(b.tryTake()).isFalse();
        now[0] += 10_000_000_000L;
        for (int i = 0; i < 3; i++) {
            assertThat(b.tryTake()).isTrue();
        }
        assertThat(b.tryTake()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://allowed.com@evil.com/", "http://user:pw@allowed.test/"})
    void userinfoIsRefused(String uri) {
        assertThat(TargetParser.absolute(uri)).isInstanceOfSatisfying(TargetParser.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.USERINFO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.com#@allowed.com/", "/relative", "https://allowed.test/", "ftp://x/",
        "http://allowed.test:0/", "http://allowed.test:99999/", "http://[::1/", "http://a\\b/", "http://:80/"})
    void ambiguousOrUnsupportedTargetsAreBadRequests(String uri) {
        assertThat(TargetParser.absolute(uri)).isInstanceOfSatisfying(TargetParser.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.BAD_REQUEST));
    }

    @Test
    void parsesTargets() {
        assertThat(TargetParser.absolute("http://Allowed.test:8080/a/b?c=d"))
                .isEqualTo(new TargetParser.Parsed("Allowed.test", 8080, "/a/b?c=d"));
        assertThat(TargetParser.absolute("http://allowed.test?q"))
                .isEqualTo(new TargetParser.Parsed("allowed.test", 80, "/?q"));
        assertThat(TargetParser.connect("allowed.test:443")).isEqualTo(new TargetParser.Parsed("allowed.test", 443, "/"));
        assertThat(TargetParser.connect("[::1]:443")).isEqualTo(new TargetParser.Parsed("[::1]", 443, "/"));
        assertThat(TargetParser.connect("allowed.test")).isInstanceOf(TargetParser.Rejected.class);
    }

    @Test
    void noAclMeansNoRules() {
        assertThat(new PolicyStore(System::nanoTime).rules("nobody")).isEqualTo(Optional.empty());
    }
}
