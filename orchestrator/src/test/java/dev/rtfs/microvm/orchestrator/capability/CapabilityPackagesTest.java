package dev.rtfs.microvm.orchestrator.capability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capability package format: what a valid package is, and every bad input as one positioned diagnostic. */
class CapabilityPackagesTest {

    @TempDir Path dir;

    private Path pkg(String name, String manifest, boolean withExecutableRun) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name));
        Files.writeString(p.resolve(CapabilityPackages.MANIFEST), manifest);
        if (withExecutableRun) {
            Path run = Files.writeString(p.resolve("run"), "#!/bin/sh\necho '{}'\n");
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return p;
    }

    private static Diagnostic only(CapabilityPackages.Reading r, String code) {
        assertThat(r.valid()).isFalse();
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).hasSize(1);
        Diagnostic d = r.diagnostics().getFirst();
        assertThat(d.code().name()).isEqualTo(code);
        return d;
    }

    /** The diagnostic points at {@code needle} in the manifest's text. */
    private static void at(Diagnostic d, Path manifest, String text, String needle) {
        int[] pos = Plans.position(text, needle);
        assertThat(d.span().source()).isEqualTo(manifest.toString());
        assertThat(new int[] {d.span().line(), d.span().column()}).as(d.message()).containsExactly(pos);
    }

    @Test
    void aValidPackageIsReadWithItsEffectsAndEntry() throws IOException {
        pkg("text.wordcount", "(capability :text.wordcount :effects [] :entry \"run\")\n", true);
        pkg("web.fetch", """
                ;; fetches one page
                (capability :web.fetch
                  :effects [[:network {:domains ["example.com"] :methods [:GET] :ports [443]}]]
                  :entry "run")
                """, true);
        CapabilityPackages.Reading r = CapabilityPackages.read(dir);
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).isEmpty();
        assertThat(r.packages()).extracting(p -> p.manifest().id()).containsExactly("text.wordcount", "web.fetch");
        assertThat(r.packages().get(0).manifest().effects()).isEmpty();
        assertThat(r.packages().get(1).manifest().effects()).singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(EffectKind.NETWORK));
        assertThat(r.packages().get(1).entryFile()).isEqualTo(dir.resolve("web.fetch/run"));
    }

    @Test
    void effectsWrittenBackAsTextReadAsTheSameEffects() throws IOException {
        pkg("web.fetch", """
                (capability :web.fetch :entry "run" :effects [[:network {:domains ["example.com" "*.example.org"]
                  :methods [:GET :POST] :ports [443]}] [:fs {:paths ["/tmp/agent"] :modes [:read :write]}] :clock])
                """, true);
        CapabilityPackages.Reading r = CapabilityPackages.read(dir);
        var effects = r.packages().getFirst().manifest().effects();
        String text = CapabilityCatalog.effectsText(effects);
        List<Diagnostic> problems = new java.util.ArrayList<>();
        CapabilityCatalog back = CapabilityCatalog.fromRecorded(Map.of("web.fetch", text), "image.lock", problems);
        assertThat(problems).isEmpty();
        assertThat(back.userEffects("web.fetch")).contains(effects);
    }

    @Test
    void aManifestWithASyntaxErrorIsRefusedAtItsPosition() throws IOException {
        String text = "(capability :text.wordcount :effects [] :entry \"run\"\n";
        Path p = pkg("text.wordcount", text, true);
        Diagnostic d = only(CapabilityPackages.read(dir), "RTFS_SYNTAX");
        assertThat(d.span().source()).isEqualTo(p.resolve("capability.rtfs").toString());
    }

    @Test
    void anUnknownEffectKindIsRefusedAtTheKeyword() throws IOException {
        String text = "(capability :text.wordcount\n  :effects [[:netwrok {:domains [\"example.com\"]}]]\n  :entry \"run\")\n";
        Path p = pkg("text.wordcount", text, true);
        Diagnostic d = only(CapabilityPackages.read(dir), "ADMISSION_EFFECT_UNKNOWN");
        assertThat(d.suggestion()).contains(":network");
        at(d, p.resolve("capability.rtfs"), text, ":netwrok");
    }

    @Test
    void aMissingEntryIsRefusedAtTheEntry() throws IOException {
        String text = "(capability :text.wordcount :effects [] :entry \"bin/run\")\n";
        Path p = pkg("text.wordcount", text, true);
        Diagnostic d = only(CapabilityPackages.read(dir), "CAPABILITY_ENTRY");
        assertThat(d.message()).contains("does not exist");
        at(d, p.resolve("capability.rtfs"), text, "\"bin/run\"");
    }

    @Test
    void aNonExecutableEntryIsRefused() throws IOException {
        Path p = pkg("text.wordcount", "(capability :text.wordcount :effects [] :entry \"run\")", true);
        Files.setPosixFilePermissions(p.resolve("run"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(only(CapabilityPackages.read(dir), "CAPABILITY_ENTRY").message()).contains("is not executable");
    }

    @Test
    void anEntryThatEscapesThePackageIsRefused() throws IOException {
        for (String entry : List.of("../run", "/bin/sh", "./run", "a//run")) {
            Path p = pkg("text.wordcount", "(capability :text.wordcount :effects [] :entry \"" + entry + "\")", true);
            assertThat(only(CapabilityPackages.read(dir), "CAPABILITY_ENTRY").message()).as(entry)
                    .contains("relative path inside the package");
            Files.delete(p.resolve("capability.rtfs"));
        }
    }

    @Test
    void anEntryReachedThroughASymbolicLinkIsRefused() throws IOException {
        Path outside = Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-outside"));
        Path target = Files.writeString(outside.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path p = pkg("text.wordcount", "(capability :text.wordcount :effects [] :entry \"bin/tool\")", false);
        Files.createSymbolicLink(p.resolve("bin"), outside);
        assertThat(only(CapabilityPackages.read(dir), "CAPABILITY_ENTRY").message()).contains("symbolic link");
    }

    @Test
    void anIdThatIsABuiltInIsRefused() throws IOException {
        String text = "(capability :http.get :effects [] :entry \"run\")";
        Path p = pkg("http.get", text, true);
        Diagnostic d = only(CapabilityPackages.read(dir), "CAPABILITY_SHADOWS_BUILTIN");
        at(d, p.resolve("capability.rtfs"), text, ":http.get");
    }

    @Test
    void anIdThatIsNotItsDirectorysNameIsRefused() throws IOException {
        pkg("wordcount", "(capability :text.wordcount :effects [] :entry \"run\")", true);
        assertThat(only(CapabilityPackages.read(dir), "CAPABILITY_MANIFEST").message())
                .contains("lives in package directory wordcount");
    }

    @Test
    void missingKeysUnknownKeysAndStrayFilesAreRefused() throws IOException {
        pkg("a.one", "(capability :a.one :entry \"run\")", true);
        pkg("a.two", "(capability :a.two :effects [] :entry \"run\" :version \"1\")", true);
        Files.createDirectories(dir.resolve("a.three"));
        Files.writeString(dir.resolve("README"), "stray");
        CapabilityPackages.Reading r = CapabilityPackages.read(dir);
        assertThat(r.valid()).isFalse();
        assertThat(r.diagnostics()).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("no :effects"))
                .anySatisfy(m -> assertThat(m).contains("unknown manifest key :version"))
                .anySatisfy(m -> assertThat(m).contains("package a.three has no capability.rtfs"))
                .anySatisfy(m -> assertThat(m).contains("README: every entry"));
        assertThat(r.diagnostics()).allSatisfy(d -> assertThat(d.code().name()).isEqualTo("CAPABILITY_MANIFEST"));
    }

    @Test
    void fuzzedManifestsNeverThrowAndAreEitherValidOrRefusedWithPositions() throws IOException {
        long seed = new java.util.Random().nextLong();
        System.out.println("CapabilityPackagesTest fuzz seed: " + seed);
        java.util.Random random = new java.util.Random(seed);
        String valid = "(capability :text.wordcount :effects [[:fs {:paths [\"/tmp/agent\"]}]] :entry \"run\")";
        Path p = pkg("text.wordcount", valid, true);
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder(valid);
            for (int k = random.nextInt(4); k >= 0; k--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, "()[]{}:\" \\;#^x9".charAt(random.nextInt(15)));
                    default -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                }
            }
            Files.writeString(p.resolve("capability.rtfs"), text);
            CapabilityPackages.Reading r = CapabilityPackages.read(dir);
            assertThat(r.valid() ? r.packages() : r.diagnostics()).as("seed %d: %s", seed, text).isNotEmpty();
            assertThat(r.diagnostics()).as("seed %d: %s", seed, text)
                    .allSatisfy(d -> assertThat(d.span().line()).isPositive());
        }
    }
}
