package dev.rtfs.microvm.cli.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The modules of the build (the root pom's {@code <modules>}) and the dependencies between them (each module pom's
 * {@code <dependencies>} on artifacts of our group), read from the poms with the JDK's XML parser.
 */
public record ModuleGraph(List<String> modules, Set<Edge> edges) {

    static final String GROUP = "dev.rtfs.microvm";
    /** A pom is a few KiB; anything near this is not one of ours. */
    static final long MAX_POM_BYTES = 256 * 1024;
    static final int MAX_MODULES = 64;

    /** {@code from} depends on {@code to} in {@code scope} (compile when the pom names none). */
    public record Edge(String from, String to, String scope) implements Comparable<Edge> {
        public static Edge compile(String from, String to) {
            return new Edge(from, to, "compile");
        }

        public static Edge test(String from, String to) {
            return new Edge(from, to, "test");
        }

        @Override
        public int compareTo(Edge o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return from + " -> " + to + " (" + scope + ")";
        }
    }

    public static ModuleGraph read(Path root) throws IOException {
        Element rootPom = parse(root.resolve("pom.xml"));
        List<String> modules = texts(child(rootPom, "modules"), "module");
        if (modules.size() > MAX_MODULES) throw new IOException("more than " + MAX_MODULES + " modules in " + root);
        Set<Edge> edges = new TreeSet<>();
        for (String module : modules) {
            Element pom = parse(root.resolve(module).resolve("pom.xml"));
            for (Element dep : children(child(pom, "dependencies"), "dependency")) {
                String group = text(dep, "groupId");
                if (!GROUP.equals(group) && !"${project.groupId}".equals(group)) continue;
                String scope = text(dep, "scope");
                edges.add(new Edge(module, text(dep, "artifactId"), scope == null ? "compile" : scope));
            }
        }
        return new ModuleGraph(List.copyOf(modules), edges);
    }

    /** The modules {@code from} depends on, directly or through others of ours, in any scope. */
    public Set<String> reachableFrom(String from) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String m = todo.pop();
            for (Edge e : edges) {
                if (e.from().equals(m) && seen.add(e.to())) todo.push(e.to());
            }
        }
        return seen;
    }

    public Set<Edge> edgesFrom(String module) {
        Set<Edge> out = new TreeSet<>();
        for (Edge e : edges) if (e.from().equals(module)) out.add(e);
        return out;
    }

    private static Element parse(Path pom) throws IOException {
        long size = Files.size(pom);
        if (size > MAX_POM_BYTES) throw new IOException(pom + " is " + size + " bytes, over " + MAX_POM_BYTES);
        try (InputStream in = Files.newInputStream(pom)) {
            Document doc = builder().parse(in, pom.toUri().toString());
            return doc.getDocumentElement();
        } catch (SAXException e) {
            throw new IOException(pom + ": " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // A pom has no DTD: refusing one rules out entity expansion and external fetches.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // Problems come back as the exception alone, not also printed to stderr by the default handler.
            b.setErrorHandler(new DefaultHandler());
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException(e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** Direct children only: {@code <dependencyManagement>} and plugin dependencies are not the module's. */
    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) return out;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) out.add(e);
        }
        return out;
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
