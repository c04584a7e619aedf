package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The userland's dependency closure, from synthetic control fields (no .deb, no dpkg). */
class DebClosureTest {

    private static DebPackage pkg(String name, String depends, String provides) {
        return new DebPackage(name, "1.0-1", "amd64", DebPackage.clauses(depends), DebPackage.names(provides),
                Path.of(name + "_1.0-1_amd64.deb"), "sha256:" + name);
    }

    private static List<String> names(DebClosure.Resolution r) {
        return r.packages().stream().map(DebPackage::name).toList();
    }

    @Test
    void dependsClausesDropVersionsAndArchitectureQualifiersAndKeepAlternativesInOrder() {
        assertThat(DebPackage.clauses("libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, python3:any (>= 3.9~), zlib1g"))
                .containsExactly(List.of("libc6"), List.of("debconf", "debconf-2.0"), List.of("python3"),
                        List.of("zlib1g"));
        assertThat(DebPackage.clauses("")).isEmpty();
        assertThat(DebPackage.names("awk, x-terminal (= 1)")).containsExactly("awk", "x-terminal");
    }

    @Test
    void theClosureFollowsDependsTransitivelyAndListsEachPackageOnceByName() throws Exception {
        DebCatalog c = DebCatalog.of(List.of(pkg("curl", "libcurl4, libc6", ""), pkg("libcurl4", "libc6, libssl3", ""),
                pkg("libssl3", "libc6", ""), pkg("libc6", "", ""), pkg("unrelated", "", "")), Map.of());
        assertThat(names(DebClosure.resolve(List.of("curl"), c))).containsExactly("curl", "libc6", "libcurl4", "libssl3");
    }

    @Test
    void theFirstAvailableAlternativeWinsAndALaterOneIsNotTaken() throws Exception {
        DebCatalog c = DebCatalog.of(List.of(pkg("tool", "mawk | gawk, absent | libz", ""), pkg("mawk", "", ""),
                pkg("gawk", "", ""), pkg("libz", "", "")), Map.of());
        assertThat(names(DebClosure.resolve(List.of("tool"), c))).containsExactly("libz", "mawk", "tool");
    }

    @Test
    void aVirtualPackageIsSatisfiedByItsProvider() throws Exception {
        DebCatalog c = DebCatalog.of(List.of(pkg("app", "awk", ""), pkg("mawk", "", "awk")), Map.of());
        assertThat(names(DebClosure.resolve(List.of("app"), c))).containsExactly("app", "mawk");
    }

    @Test
    void aVirtualPackageAlreadyProvidedByATakenPackageBringsNoOtherProvider() throws Exception {
        DebCatalog c = DebCatalog.of(List.of(pkg("app", "gawk, awk", ""), pkg("gawk", "", "awk"),
                pkg("mawk", "", "awk")), Map.of());
        assertThat(names(DebClosure.resolve(List.of("app"), c))).containsExactly("app", "gawk");
    }

    @Test
    void dependencyCyclesResolveToEachPackageOnce() throws Exception {
        DebCatalog c = DebCatalog.of(List.of(pkg("a", "b", ""), pkg("b", "c", ""), pkg("c", "a", "")), Map.of());
        assertThat(names(DebClosure.resolve(List.of("a"), c))).containsExactly("a", "b", "c");
    }

    @Test
    void excludedPackagesAreNeverTakenAndTheResolutionSaysWhichWereAskedFor() throws Exception {
        DebCatalog c = DebCatalog.of(List.of(pkg("dash", "debianutils, dpkg (>= 1.19)", ""), pkg("debianutils", "", ""),
                pkg("dpkg", "tar", ""), pkg("tar", "", ""), pkg("ca-certificates", "openssl, debconf | debconf-2.0", ""),
                pkg("openssl", "", ""), pkg("debconf", "perl-base", ""), pkg("perl-base", "", "")), Map.of());
        DebClosure.Resolution r = DebClosure.resolve(List.of("dash", "ca-certificates"), c);
        assertThat(names(r)).containsExactly("ca-certificates", "dash", "debianutils", "openssl");
        assertThat(r.excludedAskedFor()).containsExactlyInAnyOrder("dpkg", "debconf");
        assertThat(DebClosure.EXCLUDED).containsKeys("dpkg", "debconf", "perl-base");
    }

    @Test
    void aMissingDependencyNamesItselfItsHostVersionAndWhoNeedsIt() {
        DebCatalog c = DebCatalog.of(List.of(pkg("curl", "libcurl4", "")), Map.of("libcurl4", "7.88.1-10+deb12u15"));
        assertThatThrownBy(() -> DebClosure.resolve(List.of("curl"), c))
                .isInstanceOfSatisfying(DebClosure.UnresolvedException.class, e -> {
                    assertThat(e.missing()).isEqualTo(
                            new DebClosure.Missing("libcurl4", Optional.of("7.88.1-10+deb12u15"), "curl"));
                    assertThat(e.getMessage()).isEqualTo(
                            "package libcurl4 7.88.1-10+deb12u15 has no local .deb (needed by curl)");
                });
    }

    @Test
    void aMissingAlternativeIsNamedByTheOneTheHostHasInstalled() {
        DebCatalog c = DebCatalog.of(List.of(pkg("app", "mawk | gawk", "")), Map.of("gawk", "5.2"));
        assertThatThrownBy(() -> DebClosure.resolve(List.of("app"), c))
                .isInstanceOfSatisfying(DebClosure.UnresolvedException.class,
                        e -> assertThat(e.missing().name()).isEqualTo("gawk"));
    }

    @Test
    void anUnknownRootPackageIsMissingWithoutAVersion() {
        DebCatalog c = DebCatalog.of(List.of(), Map.of());
        assertThatThrownBy(() -> DebClosure.resolve(List.of("no-such-package"), c))
                .isInstanceOfSatisfying(DebClosure.UnresolvedException.class, e -> assertThat(e.missing())
                        .isEqualTo(new DebClosure.Missing("no-such-package", Optional.empty(), "")));
    }

    @Test
    void controlFieldsJoinContinuationLines() {
        assertThat(LocalDebs.fields("Package: a\nDepends: b,\n c\nVersion: 1\n"))
                .containsEntry("Depends", "b, c").containsEntry("Package", "a").containsEntry("Version", "1");
    }
}
