package dev.rtfs.microvm.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The product docs the docs tests read, and their fenced blocks with the marker comment that precedes each. */
final class DocFiles {
    private DocFiles() {}

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    static final Path SPEC = ROOT.resolve("docs/rtfs-2.0/specs-incoming/19-microvm-deployment-profile.md");

    /** One fenced block: where it starts (1-based line of its first content line), its language, its marker. */
    record Fence(String file, int line, String lang, String marker, String text) {
        String where() { return file + ":" + line; }
    }

    /** README.md and every .md under docs/. */
    static List<Path> docs() {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Fence> fences(Path file) {
        try {
            return fences(ROOT.relativize(file).toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The marker is the {@code <!-- ... -->} line right before the fence, without the comment brackets, or "". */
    static List<Fence> fences(String name, String markdown) {
        List<Fence> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String open = lines[i].strip();
            if (!open.startsWith("```") || open.length() == 3) continue;
            String lang = open.substring(3).strip();
            String prev = i > 0 ? lines[i - 1].strip() : "";
            String marker = prev.startsWith("<!--") && prev.endsWith("-->")
                    ? prev.substring(4, prev.length() - 3).strip() : "";
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && !lines[j].strip().equals("```"); j++) text.append(lines[j]).append('\n');
            out.add(new Fence(name, i + 2, lang, marker, text.toString()));
            i = j;
        }
        return out;
    }

    static List<Fence> allFences() {
        return docs().stream().flatMap(p -> fences(p).stream()).toList();
    }
}
