package dev.rtfs.microvm.cli.architecture;

import static dev.rtfs.microvm.cli.architecture.ModuleGraph.Edge.compile;
import static dev.rtfs.microvm.cli.architecture.ModuleGraph.Edge.test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.cli.architecture.ModuleGraph.Edge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module graph of docs/architecture.md, kept from drifting: the poms must declare exactly these dependencies
 * between our modules. Changing the graph is a decision: make it here and in docs/architecture.md together.
 */
class ModuleDependencyRulesTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();

    static final List<String> MODULES = List.of("rtfs-lang", "agent-config", "vmm", "egress-policy", "egress-proxy",
            "orchestrator", "control-plane", "guest", "kubernetes", "supervisor", "cli", "bench");

    static final Set<Edge> ALLOWED_COMPILE = Set.of(
            compile("agent-config", "rtfs-lang"),
            compile("vmm", "agent-config"),
            compile("egress-proxy", "egress-policy"),
            compile("orchestrator", "rtfs-lang"),
            compile("orchestrator", "agent-config"),
            compile("orchestrator", "egress-policy"),
            compile("control-plane", "rtfs-lang"),
            compile("guest", "vmm"),
            compile("kubernetes", "agent-config"),
            compile("kubernetes", "orchestrator"),
            compile("kubernetes", "egress-policy"),
            compile("supervisor", "rtfs-lang"),
            compile("supervisor", "agent-config"),
            compile("supervisor", "orchestrator"),
            compile("supervisor", "vmm"),
            compile("supervisor", "egress-policy"),
            compile("supervisor", "egress-proxy"),
            compile("supervisor", "control-plane"),
            compile("supervisor", "guest"),
            compile("cli", "rtfs-lang"),
            compile("cli", "agent-config"),
            compile("cli", "vmm"),
            compile("cli", "orchestrator"),
            compile("cli", "egress-policy"),
            compile("cli", "egress-proxy"),
            compile("cli", "control-plane"),
            compile("cli", "guest"),
            compile("cli", "kubernetes"),
            compile("cli", "supervisor"),
            compile("bench", "cli"),
            compile("bench", "egress-policy"),
            compile("bench", "egress-proxy"),
            compile("bench", "kubernetes"));

    /** guest's boot tests speak the guest protocol of control-plane; guest itself does not. */
    static final Set<Edge> ALLOWED_TEST = Set.of(test("guest", "control-plane"));

    @Test
    void theBuildHasExactlyTheKnownModules() throws IOException {
        assertThat(ModuleGraph.read(ROOT).modules()).containsExactlyElementsOf(MODULES);
    }

    @Test
    void thePomsDeclareExactlyTheAllowedDependencies() throws IOException {
        Set<Edge> actual = ModuleGraph.read(ROOT).edges();
        assertThat(difference(actual, allowed())).as("dependencies not in the allowed graph (docs/architecture.md)")
                .isEmpty();
        assertThat(difference(allowed(), actual)).as("allowed dependencies no pom declares any more: shrink the "
                + "allowed graph").isEmpty();
    }

    static Set<Edge> allowed() {
        Set<Edge> allowed = new TreeSet<>(ALLOWED_COMPILE);
        allowed.addAll(ALLOWED_TEST);
        return allowed;
    }

    static Set<Edge> difference(Set<Edge> a, Set<Edge> b) {
        Set<Edge> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    @Test
    void everyDependencyOfOursNamesAModuleOfTheBuild() throws IOException {
        ModuleGraph graph = ModuleGraph.read(ROOT);
        assertThat(graph.edges()).allSatisfy(e -> assertThat(graph.modules()).contains(e.to()));
    }

    @Test
    void thePolicyAndTheLanguageDependOnNothingOfOursAndTheProtocolOnlyOnTheLanguage() throws IOException {
        ModuleGraph graph = ModuleGraph.read(ROOT);
        for (String leaf : List.of("egress-policy", "rtfs-lang")) {
            assertThat(graph.edgesFrom(leaf)).as(leaf).isEmpty();
        }
        // control-plane shows guest text with rtfs-lang's one escaper, and uses nothing else of ours.
        assertThat(graph.edgesFrom("control-plane")).containsExactly(compile("control-plane", "rtfs-lang"));
    }

    @Test
    void theOrchestratorAndThePolicyNeverReachTheProxy() throws IOException {
        ModuleGraph graph = ModuleGraph.read(ROOT);
        assertThat(graph.reachableFrom("orchestrator")).doesNotContain("egress-proxy");
        assertThat(graph.reachableFrom("egress-policy")).doesNotContain("egress-proxy");
    }

    /** The rules above see a drift: the repository's poms, with orchestrator made to depend on the proxy. */
    @Test
    void aDependencyAddedToAPomBreaksTheRules(@TempDir Path copy) throws IOException {
        Files.copy(ROOT.resolve("pom.xml"), copy.resolve("pom.xml"));
        for (String m : MODULES) {
            Files.createDirectories(copy.resolve(m));
            Files.copy(ROOT.resolve(m).resolve("pom.xml"), copy.resolve(m).resolve("pom.xml"));
        }
        Path orchestrator = copy.resolve("orchestrator/pom.xml");
        String pom = Files.readString(orchestrator);
        Files.writeString(orchestrator, pom.replaceFirst("<dependencies>", "<dependencies>\n    <dependency>"
                + "<groupId>dev.rtfs.microvm</groupId><artifactId>egress-proxy</artifactId></dependency>"));

        ModuleGraph drifted = ModuleGraph.read(copy);

        assertThat(difference(drifted.edges(), allowed())).containsExactly(compile("orchestrator", "egress-proxy"));
        assertThat(drifted.reachableFrom("orchestrator")).contains("egress-proxy", "egress-policy");
    }

    @Test
    void onlyDirectDependenciesCountNotManagedOnesAndScopesAreKept(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modules><module>a</module><module>b</module></modules>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>dev.rtfs.microvm</groupId><artifactId>a</artifactId></dependency>
                  </dependencies></dependencyManagement>
                </project>""");
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <dependencies>
                    <dependency><groupId>${project.groupId}</groupId><artifactId>b</artifactId><scope>test</scope></dependency>
                    <dependency><groupId>org.other</groupId><artifactId>b</artifactId></dependency>
                  </dependencies>
                  <build><plugins><plugin><dependencies>
                    <dependency><groupId>dev.rtfs.microvm</groupId><artifactId>b</artifactId></dependency>
                  </dependencies></plugin></plugins></build>
                </project>""");
        Files.writeString(dir.resolve("b/pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"/>");

        ModuleGraph graph = ModuleGraph.read(dir);

        assertThat(graph.modules()).containsExactly("a", "b");
        assertThat(graph.edges()).containsExactly(test("a", "b"));
    }

    @Test
    void aPomWithADoctypeIsRefusedNotExpanded(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pom.xml"), """
                <?xml version="1.0"?>
                <!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <project><modules><module>&x;</module></modules></project>""");
        assertThatThrownBy(() -> ModuleGraph.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("DOCTYPE");
    }
}
