package dev.rtfs.microvm.egresspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one wildcard rule, and the nearest per-domain setting built on it. */
class DomainMatcherTest {

    @Test
    void aWildcardMatchesSubdomainsButNotTheNameItself() {
        DomainMatcher m = new DomainMatcher(List.of("example.com", "*.cdn.example.org"));
        assertThat(m.matches("example.com")).isTrue();
        assertThat(m.matches("www.example.com")).isFalse();
        assertThat(m.matches("a.cdn.example.org")).isTrue();
        assertThat(m.matches("a.b.cdn.example.org")).isTrue();
        assertThat(m.matches("cdn.example.org")).isFalse();
        assertThat(m.matches("evilcdn.example.org")).isFalse();
    }

    @Test
    void theMostSpecificSettingIsTheExactNameElseTheLongestMatchingWildcard() {
        Map<String, String> byPattern = Map.of("api.example.com", "exact", "*.example.com", "wide",
                "*.svc.example.com", "narrow");
        assertThat(DomainMatcher.mostSpecific(byPattern, "api.example.com")).contains("exact");
        assertThat(DomainMatcher.mostSpecific(byPattern, "a.svc.example.com")).contains("narrow");
        assertThat(DomainMatcher.mostSpecific(byPattern, "www.example.com")).contains("wide");
        assertThat(DomainMatcher.mostSpecific(byPattern, "example.com")).isEmpty();
        assertThat(DomainMatcher.mostSpecific(byPattern, "other.org")).isEmpty();
        assertThat(DomainMatcher.mostSpecific(Map.of(), "api.example.com")).isEmpty();
    }
}
