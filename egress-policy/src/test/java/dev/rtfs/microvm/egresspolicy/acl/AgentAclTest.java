package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class AgentAclTest {

    @Test
    void aBuilderWithNothingSetGivesTheStrictDefaults() {
        assertThat(AgentAcl.builder("agent.a").build()).isEqualTo(AgentAcl.strictDefaults("agent.a"));
    }

    @Test
    void aBuilderSetsEveryRuleItIsGivenAndLeavesTheRestStrict() {
        AgentAcl a = AgentAcl.builder("agent.a").step("Fetch").listen("127.0.0.1:18001")
                .allowDomains(List.of("a.test")).allowMethods(List.of("GET", "POST")).connectPorts(List.of(8443))
                .allowRanges(List.of("10.0.0.0/8")).dlp(DlpMode.LENIENT).rate(new AgentAcl.Rate(2, 3)).maxRequestBytes(5)
                .maxResponseBytes(6).maxConnections(7).build();
        assertThat(a).isEqualTo(new AgentAcl("agent.a", Optional.of("Fetch"), Optional.of("127.0.0.1:18001"),
                List.of("a.test"), List.of("GET", "POST"), List.of(8443), List.of("10.0.0.0/8"), DlpMode.LENIENT,
                Optional.of(new AgentAcl.Rate(2, 3)), 5, 6, 7));

        AgentAcl onlyDomains = AgentAcl.builder("agent.a").allowDomains(List.of("a.test")).build();
        AgentAcl strict = AgentAcl.strictDefaults("agent.a");
        assertThat(onlyDomains.allowMethods()).isEqualTo(strict.allowMethods());
        assertThat(onlyDomains.connectPorts()).isEqualTo(strict.connectPorts());
        assertThat(onlyDomains.dlp()).isEqualTo(strict.dlp());
        assertThat(onlyDomains.maxConnections()).isEqualTo(AgentAcl.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void aBuilderDoesNotShareTheListsItWasGiven() {
        List<String> domains = new ArrayList<>(List.of("a.test"));
        AgentAcl.Builder b = AgentAcl.builder("agent.a").allowDomains(domains);
        domains.add("b.test");
        assertThat(b.build().allowDomains()).containsExactly("a.test");
    }

    @Test
    void aBuilderRefusesAMissingRuleAsTheRecordDoes() {
        assertThatThrownBy(() -> AgentAcl.builder("agent.a").dlp(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AgentAcl.builder("agent.a").allowDomains(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilderKeepsEveryRuleItIsNotToldToChange() {
        AgentAcl a = AgentAcl.builder("agent.a").allowDomains(List.of("a.test")).maxConnections(9).build();
        AgentAcl b = a.toBuilder().listen("127.0.0.1:1").build();
        assertThat(b).isEqualTo(a.withListen("127.0.0.1:1"));
        assertThat(b.maxConnections()).isEqualTo(9);
        assertThat(b.allowDomains()).isEqualTo(a.allowDomains());
    }

    @Test
    void aStepAclTakesTheRulesButNotTheAgentsConnectionCap() {
        AgentAcl a = AgentAcl.builder("agent.a").allowDomains(List.of("a.test")).maxConnections(9).build();
        AgentAcl s = a.withStep("Fetch");
        assertThat(s.step()).contains("Fetch");
        assertThat(s.allowDomains()).containsExactly("a.test");
        assertThat(s.maxConnections()).isEqualTo(AgentAcl.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void forStepFallsBackToGetWhenNoMethodIsGiven() {
        assertThat(AgentAcl.forStep("agent.a", "Fetch", List.of("a.test"), List.of()).allowMethods())
                .containsExactly("GET");
        assertThat(AgentAcl.forStep("agent.a", "Fetch", List.of("a.test"), List.of("POST")).allowMethods())
                .containsExactly("POST");
    }

    @Test
    void anAclBuiltInCodeEqualsTheOneParsedFromTheSameRulesWrittenAsJson() {
        AgentAcl built = AgentAcl.builder("agent.a").step("Fetch")
                .allowDomains(List.of("API.Example.COM.", "bücher.de", "*.Slack.com", "api.example.com"))
                .allowMethods(List.of("post", "get", "GET")).connectPorts(List.of(8443, 443, 443))
                .allowRanges(List.of("::1/128", "127.0.0.0/8", "10.0.0.0/8")).dlp(DlpMode.LENIENT).build();
        AgentAcl parsed = AclCodec.parseAgent("""
                {"agent_id":"agent.a","step":"Fetch",
                 "allow_domains":["API.Example.COM.","bücher.de","*.Slack.com","api.example.com"],
                 "allow_methods":["post","get","GET"],"connect_ports":[8443,443,443],
                 "allow_ranges":["::1/128","127.0.0.0/8","10.0.0.0/8"],"dlp":"lenient"}
                """);
        assertThat(built).isEqualTo(parsed);
        assertThat(built.allowDomains()).containsExactly("*.slack.com", "api.example.com", "xn--bcher-kva.de");
        assertThat(built.allowMethods()).containsExactly("GET", "POST");
        assertThat(built.connectPorts()).containsExactly(443, 8443);
        assertThat(built.allowRanges()).containsExactly("0:0:0:0:0:0:0:1/128", "10.0.0.0/8", "127.0.0.0/8");
    }

    @Test
    void theRecordConstructorNormalizesLikeTheBuilderSoNoAclSkipsTheRules() {
        AgentAcl direct = new AgentAcl("agent.a", Optional.empty(), Optional.of("127.0.0.1:00080"),
                List.of("B.test.", "a.test"), List.of("put", "get"), List.of(443), List.of(), DlpMode.STRICT,
                Optional.empty(), 10, 20, 30);
        assertThat(direct).isEqualTo(AgentAcl.builder("agent.a").listen("127.0.0.1:80")
                .allowDomains(List.of("a.test", "b.test")).allowMethods(List.of("GET", "PUT")).maxRequestBytes(10)
                .maxResponseBytes(20).maxConnections(30).build());
        assertThatThrownBy(() -> new AgentAcl("agent.a", Optional.empty(), Optional.empty(), List.of("*.com"),
                List.of("GET"), List.of(443), List.of(), DlpMode.STRICT, Optional.empty(), 1, 1, 1))
                .isInstanceOf(AclRuleException.class).hasMessageStartingWith("allow_domains[0]: ");
    }

    /** Each rule refused in code names its field and says what the document codec says, at the field's path. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            domain wildcard TLD  | allow_domains[1]      | {"allow_domains":["a.test","*.com"]}       | too broad
            domain IP literal    | allow_domains[0]      | {"allow_domains":["127.0.0.1"]}            | IP literal
            method token         | allow_methods[0]      | {"allow_methods":["ge t"]}                 | method token
            method CONNECT       | allow_methods[1]      | {"allow_methods":["GET","connect"]}        | connect_ports
            port zero            | connect_ports[0]      | {"connect_ports":[0]}                      | out of range
            port too high        | connect_ports[1]      | {"connect_ports":[443,65536]}              | out of range
            range host bits      | allow_ranges[0]       | {"allow_ranges":["10.0.0.1/8"]}            | did you mean 10.0.0.0/8
            range too wide       | allow_ranges[0]       | {"allow_ranges":["::/0"]}                  | wider than /32
            listen not loopback  | listen                | {"listen":"0.0.0.0:80"}                    | loopback
            step empty           | step                  | {"step":""}                                | printable
            request bytes        | max_request_bytes     | {"max_request_bytes":0}                    | out of range
            response bytes       | max_response_bytes    | {"max_response_bytes":-1}                  | out of range
            connections          | max_connections       | {"max_connections":65537}                  | out of range
            rate per second      | rate.per_second       | {"rate":{"per_second":0}}                  | positive
            rate burst           | rate.burst            | {"rate":{"per_second":1,"burst":0}}        | out of range
            """)
    void eachRuleIsCheckedAsItIsSetAndSaysWhatTheDocumentCodecSays(String rule, String field, String json,
            String words) {
        AclFormatException fromJson = catchThrowableOfType(AclFormatException.class,
                () -> AclCodec.parseAgent(json, "agent.a"));
        assertThat(fromJson).as("the document is refused").isNotNull();
        assertThat(fromJson.path()).isEqualTo("$." + field);
        AclRuleException inCode = catchThrowableOfType(AclRuleException.class,
                () -> setFromJson(rule).accept(AgentAcl.builder("agent.a")));
        assertThat(inCode).as("the setter refuses at once").isNotNull();
        assertThat(inCode).isInstanceOf(IllegalArgumentException.class);
        assertThat(inCode.field()).isEqualTo(field);
        assertThat(inCode.detail()).isEqualTo(fromJson.detail()).containsIgnoringCase(words);
        assertThat(inCode.getMessage()).startsWith(field + ": ");
    }

    /** The builder call that sets, in code, what the row of {@link #eachRuleIsCheckedAsItIsSetAndSaysWhatTheDocumentCodecSays} writes as JSON. */
    private static Consumer<AgentAcl.Builder> setFromJson(String rule) {
        return switch (rule) {
            case "domain wildcard TLD" -> b -> b.allowDomains(List.of("a.test", "*.com"));
            case "domain IP literal" -> b -> b.allowDomains(List.of("127.0.0.1"));
            case "method token" -> b -> b.allowMethods(List.of("ge t"));
            case "method CONNECT" -> b -> b.allowMethods(List.of("GET", "connect"));
            case "port zero" -> b -> b.connectPorts(List.of(0));
            case "port too high" -> b -> b.connectPorts(List.of(443, 65536));
            case "range host bits" -> b -> b.allowRanges(List.of("10.0.0.1/8"));
            case "range too wide" -> b -> b.allowRanges(List.of("::/0"));
            case "listen not loopback" -> b -> b.listen("0.0.0.0:80");
            case "step empty" -> b -> b.step("");
            case "request bytes" -> b -> b.maxRequestBytes(0);
            case "response bytes" -> b -> b.maxResponseBytes(-1);
            case "connections" -> b -> b.maxConnections(65537);
            case "rate per second" -> b -> b.rate(new AgentAcl.Rate(0, 1));
            case "rate burst" -> b -> b.rate(new AgentAcl.Rate(1, 0));
            default -> throw new IllegalArgumentException(rule);
        };
    }

    @Test
    void anAgentIdOutsideTheDocumentsPatternIsRefusedInCodeAsInAFile() {
        assertThatThrownBy(() -> AgentAcl.builder("bad id")).isInstanceOfSatisfying(AclRuleException.class,
                e -> assertThat(e.field()).isEqualTo("agent_id"));
        assertThatThrownBy(() -> AclCodec.parseFile("{\"agents\":{\"bad id\":{}}}"))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("agent id must match");
    }

    /**
     * Seeded (replay with -Dfuzz.seed=N): the same domains, methods, ports and ranges in any order, case and
     * spelling (trailing dot, duplicates) give one ACL, in code and through the JSON codec.
     */
    @Test
    void anyOrderCaseOrSpellingOfTheSameRulesGivesOneAcl() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        LoggerFactory.getLogger(AgentAclTest.class).info("ACL spelling fuzz seed {}", seed);
        Random rnd = new Random(seed);
        List<String> domains = List.of("api.example.com", "*.slack.com", "xn--bcher-kva.de", "a.test", "*.b.c.test");
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
        List<Integer> ports = List.of(443, 8443, 80, 9000);
        List<String> ranges = List.of("127.0.0.0/8", "10.1.0.0/16", "192.168.1.0/24", "fd00::/32");
        for (int i = 0; i < 300; i++) {
            List<String> d = respell(rnd, sample(rnd, domains), true);
            List<String> m = respell(rnd, sample(rnd, methods), false);
            List<Integer> p = sample(rnd, ports);
            List<String> r = sample(rnd, ranges);
            AgentAcl built = AgentAcl.builder("agent.f").allowDomains(d).allowMethods(m).connectPorts(p)
                    .allowRanges(r).build();
            String json = "{\"agent_id\":\"agent.f\",\"allow_domains\":" + quoted(d) + ",\"allow_methods\":"
                    + quoted(m) + ",\"connect_ports\":" + p + ",\"allow_ranges\":" + quoted(r) + "}";
            AgentAcl expected = AgentAcl.builder("agent.f").allowDomains(canonical(d, domains))
                    .allowMethods(canonical(m, methods)).connectPorts(p).allowRanges(r).build();
            assertThat(built).as("seed %d, round %d: %s", seed, i, json).isEqualTo(AclCodec.parseAgent(json))
                    .isEqualTo(expected);
            assertThat(built.allowDomains()).as("seed %d", seed).isSorted().doesNotHaveDuplicates()
                    .allMatch(x -> x.equals(x.toLowerCase(Locale.ROOT)) && !x.endsWith("."));
        }
    }

    private static <T> List<T> sample(Random rnd, List<T> from) {
        List<T> out = new ArrayList<>();
        for (T t : from) {
            if (rnd.nextInt(3) > 0) {
                out.add(t);
                if (rnd.nextInt(4) == 0) {
                    out.add(t); // a duplicate
                }
            }
        }
        if (out.isEmpty()) {
            out.add(from.getFirst());
        }
        Collections.shuffle(out, rnd);
        return out;
    }

    /** Random letter case, and for names sometimes a trailing dot. */
    private static List<String> respell(Random rnd, List<String> values, boolean names) {
        return values.stream().map(v -> {
            StringBuilder sb = new StringBuilder();
            for (char c : v.toCharArray()) {
                sb.append(rnd.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
            if (names && rnd.nextBoolean()) {
                sb.append('.');
            }
            return sb.toString();
        }).toList();
    }

    /** The entries of {@code canon} that {@code spelled} names, in their canonical spelling. */
    private static List<String> canonical(List<String> spelled, List<String> canon) {
        return canon.stream().filter(c -> spelled.stream().anyMatch(s -> s.replaceAll("\\.$", "").equalsIgnoreCase(c)))
                .toList();
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
