package dev.rtfs.microvm.guest.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dpkg's order: the newest kernel is the one apt considers newest. */
class DebianVersionsTest {

    private static void newer(String a, String b) {
        assertThat(DebianVersions.compare(a, b)).as("%s newer than %s", a, b).isPositive();
        assertThat(DebianVersions.compare(b, a)).as("%s older than %s", b, a).isNegative();
    }

    @Test
    void digitRunsCompareAsNumbers() {
        newer("6.1.0-57-cloud-amd64", "6.1.0-9-cloud-amd64");
        newer("6.10.0-1-cloud-amd64", "6.9.0-1-cloud-amd64");
        newer("6.1.0-10", "6.1.0-9");
        newer("1.10", "1.9");
        newer("100000000000000000000001", "100000000000000000000000");
        assertThat(DebianVersions.compare("1.01", "1.1")).isZero();
        assertThat(DebianVersions.compare("6.1.0-57-cloud-amd64", "6.1.0-57-cloud-amd64")).isZero();
    }

    @Test
    void tildeSortsBeforeEverythingEvenTheEnd() {
        newer("1.0", "1.0~rc1");
        newer("1.0~rc2", "1.0~rc1");
        newer("1.0~rc1", "1.0~~");
        newer("6.1.0-57~bpo12+1", "6.1.0-57~bpo11+1");
        newer("6.1.0-58~bpo", "6.1.0-57");
    }

    @Test
    void lettersSortBeforeOtherCharacters() {
        newer("1.0+", "1.0a");
        newer("1.0a", "1.0");
        newer("1.0.", "1.0");
        newer("1.0-", "1.0a");
        newer("b", "a");
        newer("1.0a", "1.0A");
    }

    @Test
    void sortingGivesAptsOrder() {
        List<String> v = new ArrayList<>(List.of("6.1.0-9-cloud-amd64", "6.10.0-1-cloud-amd64", "6.1.0-57-cloud-amd64",
                "6.1.0-57~rc1-cloud-amd64", "6.9.0-1-cloud-amd64", "6.1.0-10-cloud-amd64"));
        v.sort(DebianVersions.ORDER);
        assertThat(v).containsExactly("6.1.0-9-cloud-amd64", "6.1.0-10-cloud-amd64", "6.1.0-57~rc1-cloud-amd64",
                "6.1.0-57-cloud-amd64", "6.9.0-1-cloud-amd64", "6.10.0-1-cloud-amd64");
    }
}
