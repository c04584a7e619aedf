package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What users get (README.md, docs/, every module's README and other .md, every src/main file: help text and the
 * javadoc it comes from) must stand alone: users do not have the design notes outside this repository.
 */
class ProductDocsStandAloneTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();

    /** Citations of a document users do not have. */
    static final List<String> FORBIDDEN = List.of("../shared", "DESIGN.md", "DESIGN §");


    @Test
    void noProductFileCitesTheDesignNotes() throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path file : productFiles()) {
            String rel = ROOT.relativize(file).toString().replace('\\', '/');
            // Undecodable bytes (a binary resource) become U+FFFD; the patterns are found in any text.
            List<String> lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
            for (int i = 0; i < lines.size(); i++) {
                for (String f : FORBIDDEN) {
                    if (lines.get(i).contains(f)) hits.add(rel + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(hits).as("product files citing %s", FORBIDDEN).isEmpty();
    }

    @Test
    void theScanSeesReadmesDocsAndTheCommandsHelp() throws IOException {
        List<String> scanned = productFiles().stream().map(f -> ROOT.relativize(f).toString().replace('\\', '/')).toList();
        assertThat(scanned).contains("README.md", "docs/runbook.md", "docs/egress-acl.md", "docs/control-api.md",
                "egress-proxy/README.md", "control-plane/PROTOCOL.md",
                "cli/src/main/java/dev/rtfs/microvm/cli/ProxyCommand.java");
    }

    /** The ACL reference documents exactly the fields the reader accepts, in the file and in an agent's rules. */
    @Test
    void theAclReferenceDocumentsEveryFieldTheReaderAccepts() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/egress-acl.md"));
        assertThat(documented(doc, "## The file")).isEqualTo(accepted("{\"nope\":1}"));
        Set<String> agentFields = accepted("{\"agent_id\":\"a\",\"nope\":1}");
        assertThat(documented(doc, "## Agent rules")).isEqualTo(agentFields);
        assertThat(agentFields).contains("step", "max_connections");
    }

    /** The first column of the table under {@code heading}: the field names, unquoted. */
    private static Set<String> documented(String doc, String heading) {
        int start = doc.indexOf(heading + "\n");
        assertThat(start).as("heading %s", heading).isNotNegative();
        int end = doc.indexOf("\n## ", start + heading.length());
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Set<String> fields = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(section);
        while (m.find()) fields.add(m.group(1));
        return fields;
    }

    /** The fields the reader names when it refuses an unknown one ({@code expected one of [a, b]}). */
    private static Set<String> accepted(String document) {
        String message;
        try {
            if (document.contains("agent_id")) AclCodec.parseAgent(document);
            else AclCodec.parseFile(document);
            throw new AssertionError("an unknown field was accepted: " + document);
        } catch (AclFormatException e) {
            message = e.getMessage();
        }
        Matcher m = Pattern.compile("expected one of \\[([^]]*)]").matcher(message);
        assertThat(m.find()).as(message).isTrue();
        return new TreeSet<>(List.of(m.group(1).split(", ")));
    }

    static List<Path> productFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(Files::isRegularFile).forEach(files::add);
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().equals("docs")).sorted().toList()) {
                try (Stream<Path> top = Files.list(module)) {
                    top.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".md")).forEach(files::add);
                }
                Path main = module.resolve("src/main");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> sources = Files.walk(main)) {
                        sources.filter(Files::isRegularFile).forEach(files::add);
                    }
                }
            }
        }
        return files;
    }
}
