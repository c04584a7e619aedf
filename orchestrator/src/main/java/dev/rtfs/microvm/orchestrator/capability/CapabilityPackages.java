package dev.rtfs.microvm.orchestrator.capability;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.rtfslang.BoundedInput;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Span;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a directory of capability packages ({@code image build --capabilities DIR}): every entry of DIR is a
 * package directory {@code DIR/<id>/} holding {@code capability.rtfs} and the executable its {@code :entry} names.
 * All problems are reported at once, each positioned in its manifest (or at the start of the file a problem is
 * about); the packages are sorted by id.
 */
public final class CapabilityPackages {

    public static final String MANIFEST = "capability.rtfs";
    /** A manifest is a few lines; anything larger is not one. */
    public static final int MAX_MANIFEST_BYTES = 64 * 1024;
    /** How many packages one store may hold (the guest lists them per call). */
    public static final int MAX_PACKAGES = 256;

    private CapabilityPackages() {}

    /**
     * What {@link #read} found: the valid packages, every problem, and the manifest texts by file name (to show
     * the problems with their lines).
     */
    public record Reading(List<CapabilityPackage> packages, List<Diagnostic> diagnostics, Map<String, SourceFile> sources) {
        public Reading {
            packages = List.copyOf(packages);
            diagnostics = List.copyOf(diagnostics);
            sources = Map.copyOf(sources);
        }

        public boolean valid() {
            return diagnostics.stream().noneMatch(Diagnostic::isError);
        }
    }

    public static Reading read(Path dir) {
        List<Diagnostic> out = new ArrayList<>();
        List<CapabilityPackage> packages = new ArrayList<>();
        Map<String, SourceFile> sources = new LinkedHashMap<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            out.add(store(dir, dir + " is not a directory of capability packages"));
            return new Reading(packages, out, sources);
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            out.add(store(dir, "cannot list " + dir + ": " + e.getMessage()));
            return new Reading(packages, out, sources);
        }
        if (children.size() > MAX_PACKAGES) {
            out.add(store(dir, dir + " holds " + children.size() + " entries; at most " + MAX_PACKAGES + " packages"));
            return new Reading(packages, out, sources);
        }
        for (Path child : children) {
            if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                out.add(store(child, child + ": every entry of a capability directory is a package directory "
                        + "DIR/<id>/ with " + MANIFEST));
                continue;
            }
            readPackage(child, out, sources).ifPresent(packages::add);
        }
        return new Reading(packages, out, sources);
    }

    private static Optional<CapabilityPackage> readPackage(Path dir, List<Diagnostic> out, Map<String, SourceFile> sources) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            out.add(store(manifestFile, "package " + dir.getFileName() + " has no " + MANIFEST
                    + " (a regular file, not a link)"));
            return Optional.empty();
        }
        SourceFile source;
        try {
            byte[] bytes = BoundedInput.readAtMost(manifestFile, MAX_MANIFEST_BYTES);
            source = new SourceFile(manifestFile.toString(), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (BoundedInput.TooLarge e) {
            out.add(store(manifestFile, manifestFile + " exceeds " + MAX_MANIFEST_BYTES + " bytes"));
            return Optional.empty();
        } catch (CharacterCodingException e) {
            out.add(store(manifestFile, manifestFile + " is not UTF-8 text"));
            return Optional.empty();
        } catch (IOException e) {
            out.add(store(manifestFile, "cannot read " + manifestFile + ": " + e.getMessage()));
            return Optional.empty();
        }
        sources.put(source.name(), source);
        CapabilityManifestReader.Reading reading = CapabilityManifestReader.read(source);
        out.addAll(reading.diagnostics());
        if (reading.manifest().isEmpty()) return Optional.empty();
        CapabilityManifest m = reading.manifest().get();
        String dirName = dir.getFileName().toString();
        if (!m.id().equals(dirName)) {
            out.add(Diagnostic.error(AdmissionCode.CAPABILITY_MANIFEST, "capability.id",
                    "the manifest names :" + m.id() + " but lives in package directory " + dirName,
                    "rename the directory to " + m.id() + " (the guest finds a capability by its directory)", m.span()));
            return Optional.empty();
        }
        Optional<String> entryProblem = entryProblem(dir, m.entry());
        if (entryProblem.isPresent()) {
            out.add(Diagnostic.error(AdmissionCode.CAPABILITY_ENTRY, "capability.entry",
                    "entry \"" + m.entry() + "\" of :" + m.id() + " " + entryProblem.get(),
                    "ship the program at " + dir.resolve(m.entry()) + " and chmod +x it", m.entrySpan()));
            return Optional.empty();
        }
        return Optional.of(new CapabilityPackage(dir, manifestFile, m));
    }

    /** Why the entry cannot run, if it cannot: missing, a link, a directory, not executable, outside the package. */
    static Optional<String> entryProblem(Path dir, String entry) {
        Path file = dir.resolve(entry).normalize();
        if (!file.startsWith(dir.normalize())) return Optional.of("leaves the package directory");
        // Every component, not only the last, must be a real directory or file: a linked parent could escape too.
        for (Path p = file; p != null && !p.equals(dir.normalize()); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) return Optional.of("is or passes through a symbolic link");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.of("does not exist");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.of("is not a regular file");
        if (!Files.isExecutable(file)) return Optional.of("is not executable");
        return Optional.empty();
    }

    private static Diagnostic store(Path file, String message) {
        return Diagnostic.error(AdmissionCode.CAPABILITY_MANIFEST, "capability", message,
                "lay packages out as DIR/<id>/" + MANIFEST + " plus the executable its :entry names",
                new Span(file.toString(), 0, 1, 1, 0));
    }
}
