package dev.rtfs.microvm.egresspolicy.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.SecretRef;
import dev.rtfs.microvm.egresspolicy.decision.PolicyStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolving an ACL's references into held secrets: values only in memory, refusals naming the reference. */
class HeldSecretsTest {

    static final String TOKEN = "tok-0123456789abcdef";

    static final AgentAcl ACL = AclCodec.parseAgent("""
            {"agent_id":"a","allow_domains":["api.example.com","*.svc.example.com"],"inject_headers":{
              "api.example.com":[{"name":"Authorization","env":"API_TOKEN","prefix":"Bearer "}],
              "*.example.com":[{"name":"X-Wide","env":"API_TOKEN"}],
              "*.svc.example.com":[{"name":"X-Svc","file":"/run/secrets/svc"}]}}""");

    static SecretResolver map(Map<String, String> env, Map<String, String> files) {
        return ref -> switch (ref) {
            case SecretRef.Env e -> env.containsKey(e.variable()) ? new SecretLookup.Found(env.get(e.variable()))
                    : new SecretLookup.Missing("not set");
            case SecretRef.SecretFile f -> files.containsKey(f.path()) ? new SecretLookup.Found(files.get(f.path()))
                    : new SecretLookup.Missing("no such file");
        };
    }

    @Test
    void theExactDomainsHeadersWinOverAWildcardAndASubdomainTakesTheLongestWildcard() {
        HeldSecrets held = HeldSecrets.resolve(ACL, map(Map.of("API_TOKEN", TOKEN),
                Map.of("/run/secrets/svc", "svc-secret-value\n")));
        assertThat(held.forHost("api.example.com")).singleElement()
                .satisfies(h -> assertThat(h.name() + ": " + h.value()).isEqualTo("Authorization: Bearer " + TOKEN));
        assertThat(held.forHost("a.svc.example.com")).singleElement()
                .satisfies(h -> assertThat(h.value()).as("trailing newline trimmed").isEqualTo("svc-secret-value"));
        assertThat(held.forHost("www.example.com")).singleElement().satisfies(h -> assertThat(h.name()).isEqualTo("X-Wide"));
        assertThat(held.forHost("example.com")).as("a wildcard is subdomains only").isEmpty();
        assertThat(held.forHost("other.org")).isEmpty();
        assertThat(held.revealAll()).containsExactlyInAnyOrder(TOKEN, "svc-secret-value");
    }

    @Test
    void noStringFormOfHeldSecretsShowsAValue() {
        HeldSecrets held = HeldSecrets.resolve(ACL, map(Map.of("API_TOKEN", TOKEN), Map.of("/run/secrets/svc", "svc-secret-value")));
        assertThat(held.toString()).doesNotContain(TOKEN).doesNotContain("svc-secret-value");
        assertThat(held.forHost("api.example.com").toString()).doesNotContain(TOKEN).contains("[secret]");
        assertThat(held.values().toString()).doesNotContain(TOKEN);
        assertThat(new SecretLookup.Found(TOKEN).toString()).doesNotContain(TOKEN);
    }

    @Test
    void aMissingVariableOrFileRefusesTheAclNamingTheReferenceNotAValue() {
        assertThatThrownBy(() -> HeldSecrets.resolve(ACL, map(Map.of(), Map.of("/run/secrets/svc", "svc-secret-value"))))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("agent a").hasMessageContaining("env API_TOKEN").hasMessageContaining("not set");
        assertThatThrownBy(() -> HeldSecrets.resolve(ACL, map(Map.of("API_TOKEN", TOKEN), Map.of())))
                .hasMessageContaining("file /run/secrets/svc").hasMessageContaining("no such file")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void anEmptyShortOrMultiLineSecretIsRefused() {
        for (var bad : Map.of("\n", "is empty", "short", "shorter than 8", "line-one\nline-two", "line break").entrySet()) {
            assertThatThrownBy(() -> HeldSecrets.resolve(ACL, map(Map.of("API_TOKEN", bad.getKey()),
                    Map.of("/run/secrets/svc", "svc-secret-value"))))
                    .as(bad.getValue()).isInstanceOf(SecretUnavailableException.class)
                    .hasMessageContaining(bad.getValue());
        }
        assertThatThrownBy(() -> HeldSecrets.resolve(ACL, map(Map.of("API_TOKEN", "x".repeat(8193)),
                Map.of("/run/secrets/svc", "svc-secret-value")))).hasMessageContaining("longer than 8192");
    }

    @Test
    void theStoreRefusesAnAclWhoseInjectedHeadersWereNotResolved() {
        PolicyStore store = new PolicyStore(System::nanoTime);
        assertThatThrownBy(() -> store.putAgent(ACL)).hasMessageContaining("not resolved");
        HeldSecrets held = HeldSecrets.resolve(ACL, map(Map.of("API_TOKEN", TOKEN), Map.of("/run/secrets/svc", "svc-secret-value")));
        store.putAgent(ACL, held);
        assertThat(store.rules("a").orElseThrow().held().forHost("api.example.com")).hasSize(1);
    }
}
