package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.config.diag.Diagnostic;
import dev.rtfs.microvm.config.report.FileReport;
import dev.rtfs.microvm.lang.PrintableText;
import dev.rtfs.microvm.lang.RtfsException;
import dev.rtfs.microvm.lang.RtfsSyntaxException;
import dev.rtfs.microvm.lang.SourceFile;
import dev.rtfs.microvm.lang.SourceSnippet;
import dev.rtfs.microvm.lang.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * File reading and RTFS error printing shared by the commands that take RTFS files.
 *
 * <p>Reading: a missing or unreadable file is {@link UnreadableFile} (one line, exit 2). Text must be UTF-8;
 * an invalid byte is an {@link InvalidUtf8} error positioned at the first bad byte (exit 1, like any other
 * input error), and the text decoded with U+FFFD replacements is kept so the snippet can show the line.
 */
final class CliIo {

    private CliIo() { }

    /** A file that could not be read at all: printed as one line, exit 2. */
    static final class UnreadableFile extends Exception {
        UnreadableFile(String message) {
            super(message, null, false, false);
        }
    }

    /** The file is not UTF-8; {@link #source} holds the text with replacement characters, for the snippet. */
    static final class InvalidUtf8 extends Exception {
        final transient RtfsSyntaxException error;
        final transient SourceFile source;

        InvalidUtf8(RtfsSyntaxException error, SourceFile source) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.source = source;
        }
    }

    /**
     * The files of one command run, each read once: their sources (also those that are not UTF-8, with
     * replacements), the one-line errors of unreadable ones, and an RTFS_SYNTAX report per file that is not UTF-8.
     */
    record Inputs(Map<String, SourceFile> sources, List<String> unreadable, List<FileReport> notUtf8) {
        /** One {@code error:} line per unreadable file; true when there was any (the command then exits 2). */
        boolean reportUnreadable(PrintWriter err) {
            unreadable.forEach(m -> err.println("error: " + m));
            err.flush();
            return !unreadable.isEmpty();
        }
    }

    static Inputs readAll(List<String> names) {
        Map<String, SourceFile> sources = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        List<FileReport> notUtf8 = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            try {
                sources.put(name, read(name));
            } catch (UnreadableFile e) {
                unreadable.add(e.getMessage());
            } catch (InvalidUtf8 e) {
                sources.put(name, e.source);
                Diagnostic d = Diagnostic.error("RTFS_SYNTAX", "", e.getMessage(), "save the file as UTF-8", e.error.span());
                notUtf8.add(FileReport.of(name, List.of(d), Map.of(name, e.source), false));
            }
        }
        return new Inputs(sources, unreadable, notUtf8);
    }

    /** Reads {@code name} (a path as the user wrote it; also the name diagnostics use) as UTF-8. */
    static SourceFile read(String name) throws UnreadableFile, InvalidUtf8 {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new UnreadableFile("cannot read " + name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UnreadableFile("cannot read " + name + ": permission denied");
        } catch (InvalidPathException e) {
            throw new UnreadableFile("cannot read " + PrintableText.of(name) + ": invalid path");
        } catch (IOException | SecurityException e) {
            String why = Files.isDirectory(Path.of(name)) ? "is a directory" : String.valueOf(e.getMessage());
            throw new UnreadableFile("cannot read " + name + ": " + why);
        } catch (OutOfMemoryError e) {
            throw new UnreadableFile("cannot read " + name + ": too large");
        }
        return decode(name, bytes);
    }

    static SourceFile decode(String name, byte[] bytes) throws InvalidUtf8 {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0; // a UTF-8 byte order mark is not part of the text
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult r = strict.decode(in, out, true);
        if (!r.isError()) r = strict.flush(out);
        if (!r.isError()) return new SourceFile(name, out.flip().toString());

        int badByte = in.position();
        String prefix = out.flip().toString();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = prefix.codePointCount(lineStart, prefix.length()) + 1;
        Span span = new Span(name, prefix.length(), line, column, prefix.length() + 1);
        String message = String.format("invalid UTF-8: byte 0x%02X at byte offset %d (RTFS files must be UTF-8)",
                bytes[badByte] & 0xff, badByte);
        String lenient = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        throw new InvalidUtf8(new RtfsSyntaxException(message, span), new SourceFile(name, lenient));
    }

    /**
     * Prints an RTFS error rustc-style: {@code error[CODE]: message}, the location snippet, then one
     * {@code = note: called from file:line:col} per active call (innermost first; repeats folded).
     */
    static void printError(PrintWriter err, RtfsException e, Map<String, SourceFile> sources) {
        Span span = e.span();
        err.print("error[" + e.code() + "]: " + e.getMessage() + "\n");
        err.print(SourceSnippet.render(sources.get(span.source()), span, ""));
        String pad = " ".repeat(Integer.toString(Math.max(span.line(), 0)).length() + 1);
        err.print(SourceSnippet.notes(e.stack(), pad + "= ", "called from"));
        err.flush();
    }
}
