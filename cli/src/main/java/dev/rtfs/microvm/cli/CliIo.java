package dev.rtfs.microvm.cli;

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
            throw new UnreadableFile("cannot read " + printable(name) + ": invalid path");
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

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) sb.append(String.format("\\u%04x", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.toString();
    }
}
