package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.rtfslang.BoundedInput;
import dev.rtfs.microvm.rtfslang.PrintableText;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.RtfsLimitException;
import dev.rtfs.microvm.rtfslang.RtfsPrinter;
import dev.rtfs.microvm.rtfslang.RtfsSyntaxException;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.SourceSnippet;
import dev.rtfs.microvm.rtfslang.Span;
import java.io.IOException;
import java.io.InputStream;
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
 * <p>Reading: a missing or unreadable file is {@link UnreadableFile} (one line, exit 2; {@link UsageException} from
 * {@link #readAll}). A file larger than
 * {@link BoundedInput#maxInputBytes} is refused after reading at most one byte more than the limit (a regular file by its
 * size, without reading it; {@code /dev/zero}, FIFOs and other streams by counting), an RTFS_INPUT_LIMIT error at
 * {@code file:1:1} (exit 1). Text must be UTF-8; an invalid byte is an RTFS_SYNTAX error positioned at the first bad
 * byte (exit 1, like any other input error), and the text decoded with U+FFFD replacements is kept so the snippet
 * can show the line. Both are {@link RefusedInput}.
 */
final class CliIo {

    private CliIo() { }

    /** A file that could not be read at all: printed as one line, exit 2. */
    static final class UnreadableFile extends Exception {
        UnreadableFile(String message) {
            super(message, null, false, false);
        }
    }


    /** System property that sets the longest output of {@code expand}, in characters. */
    static final String MAX_OUTPUT_PROPERTY = "rtfs.maxOutputChars";


    /** The output limit of printed values in characters: {@value #MAX_OUTPUT_PROPERTY}, else 16 Mi. */
    static long maxOutputChars() {
        return positive(MAX_OUTPUT_PROPERTY, RtfsPrinter.MAX_CHARS, Integer.MAX_VALUE - 16);
    }

    private static long positive(String property, long otherwise, long max) {
        Long set = Long.getLong(property);
        return set == null || set < 1 ? otherwise : Math.min(set, max);
    }

    /**
     * A file refused as RTFS input (not UTF-8, or over the size limit): {@link #error} is positioned in it, and
     * {@link #source} holds its text for the snippet (with replacement characters; null when it was not read).
     */
    static final class RefusedInput extends Exception {
        final transient RtfsException error;
        final transient SourceFile source;

        RefusedInput(RtfsException error, SourceFile source) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.source = source;
        }
    }

    /**
     * The files of one command run, each read once: their sources (also those that are not UTF-8, with
     * replacements; null for one over the size limit) and a report per refused file (RTFS_SYNTAX when not UTF-8,
     * RTFS_INPUT_LIMIT when too large).
     */
    record Inputs(Map<String, SourceFile> sources, List<FileReport> refused) { }

    /**
     * Reads every file of a run before anything else happens (the prelude of check, profile, synth and run): an
     * unreadable file is a usage problem and stops the run before any report, one {@code error:} line per file.
     */
    static Inputs readAll(List<String> names) {
        Map<String, SourceFile> sources = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        List<FileReport> refused = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            try {
                sources.put(name, read(name));
            } catch (UnreadableFile e) {
                unreadable.add(e.getMessage());
            } catch (RefusedInput e) {
                sources.put(name, e.source);
                String help = e.error instanceof RtfsLimitException ? "raise the limit with -D" + BoundedInput.MAX_INPUT_PROPERTY + "=BYTES"
                        : "save the file as UTF-8";
                Diagnostic d = Diagnostic.error(RtfsCode.of(e.error), "", e.getMessage(), help, e.error.span());
                refused.add(FileReport.of(name, List.of(d), e.source == null ? Map.of() : Map.of(name, e.source), false));
            }
        }
        if (!unreadable.isEmpty()) {
            throw UsageException.of(unreadable);
        }
        return new Inputs(sources, refused);
    }

    /** {@code --load} files, then the command's own files ({@code CONFIG}, {@code PLAN}): see {@link #readAll}. */
    static Inputs readAll(List<String> loads, String... files) {
        List<String> names = new ArrayList<>(loads);
        names.addAll(List.of(files));
        return readAll(names);
    }

    /** Reads {@code name} (a path as the user wrote it; also the name diagnostics use) as UTF-8, bounded. */
    static SourceFile read(String name) throws UnreadableFile, RefusedInput {
        long limit = BoundedInput.maxInputBytes();
        byte[] bytes;
        try {
            bytes = BoundedInput.readAtMost(Path.of(name), limit);
        } catch (BoundedInput.TooLarge e) {
            String message = "input is larger than the limit of " + limit + " bytes (" + e.seen() + ")";
            throw new RefusedInput(new RtfsLimitException(RtfsLimitException.Bound.RTFS_INPUT_LIMIT, message,
                    new Span(name, 0, 1, 1, 0)), null);
        } catch (NoSuchFileException e) {
            throw new UnreadableFile("cannot read " + PrintableText.of(name) + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UnreadableFile("cannot read " + PrintableText.of(name) + ": permission denied");
        } catch (InvalidPathException e) {
            throw new UnreadableFile("cannot read " + PrintableText.of(name) + ": invalid path");
        } catch (IOException | SecurityException e) {
            String why = Files.isDirectory(Path.of(name)) ? "is a directory" : PrintableText.of(String.valueOf(e.getMessage()));
            throw new UnreadableFile("cannot read " + PrintableText.of(name) + ": " + why);
        }
        return decode(name, bytes);
    }

    static SourceFile decode(String name, byte[] bytes) throws RefusedInput {
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
        throw new RefusedInput(new RtfsSyntaxException(message, span), new SourceFile(name, lenient));
    }

    /**
     * Prints an RTFS error rustc-style: {@code error[CODE]: message}, the location snippet, then one
     * {@code = note: called from file:line:col} per active call (innermost first; repeats folded).
     */
    static void printError(PrintWriter err, RtfsException e, Map<String, SourceFile> sources) {
        Span span = e.span();
        err.print("error[" + e.code() + "]: " + PrintableText.of(String.valueOf(e.getMessage())) + "\n");
        err.print(SourceSnippet.render(sources.get(span.source()), span, ""));
        String pad = " ".repeat(Integer.toString(Math.max(span.line(), 0)).length() + 1);
        err.print(SourceSnippet.notes(e.stack(), pad + "= ", "called from"));
        err.flush();
    }
}
