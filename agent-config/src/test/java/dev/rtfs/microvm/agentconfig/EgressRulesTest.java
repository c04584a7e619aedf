package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "api.example.com", "*.example.com", "a-b.c0.example", "localhost", "xn--bcher-kva.example"})
    void validAllowlistEntries(String entry) {
        assertThat(EgressRules.domainProblem(entry)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "Example.com", "10.0.0.1", "0x7f.1", "2130706433", "[::1]", "::1", "a.*.example.com",
            "*.com", "example.com:443", "https://example.com", "example.com/path", "example.com.", "-a.example.com",
            "a..example.com", "exa mple.com", "*example.com"})
    void invalidAllowlistEntries(String entry) {
        assertThat(EgressRules.domainProblem(entry)).as(entry).isPresent();
    }

    @Test
    void obviousFixesAreSuggested() {
        assertThat(EgressRules.domainFix("https://API.Example.com:443/v1")).contains("api.example.com");
        assertThat(EgressRules.domainFix("*")).isEmpty();
    }

    @Test
    void tlsPins() {
        assertThat(EgressRules.pin("sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")).isEqualTo(EgressRules.PinStatus.VALID);
        assertThat(EgressRules.pin("sha256/...")).isEqualTo(EgressRules.PinStatus.PLACEHOLDER);
        assertThat(EgressRules.pin("sha256/REPLACE_ME")).isEqualTo(EgressRules.PinStatus.PLACEHOLDER);
        assertThat(EgressRules.pin("sha256/")).isEqualTo(EgressRules.PinStatus.PLACEHOLDER);
        assertThat(EgressRules.pin("sha256/abc")).isEqualTo(EgressRules.PinStatus.INVALID);
        assertThat(EgressRules.pin("sha1/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")).isEqualTo(EgressRules.PinStatus.INVALID);
        // base64 of 31 bytes
        assertThat(EgressRules.pin("sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[31])))
                .isEqualTo(EgressRules.PinStatus.INVALID);
    }

    @Test
    void rootfsHashes() {
        String good = "sha256:" + "0123456789abcdef".repeat(4);
        assertThat(EgressRules.isRootfsHash(good)).isTrue();
        assertThat(EgressRules.isRootfsHash(good.toUpperCase().replace("SHA256", "sha256"))).isFalse();
        assertThat(EgressRules.isRootfsHash(good.substring(0, good.length() - 1))).isFalse();
        assertThat(EgressRules.isHashPlaceholder("sha256:...")).isTrue();
        assertThat(EgressRules.isHashPlaceholder("sha256:REPLACE_ME")).isTrue();
        assertThat(EgressRules.isHashPlaceholder(good)).isFalse();
        assertThat(EgressRules.isHashPlaceholder("md5:...")).isFalse();
    }
}
