package dev.rtfs.microvm.rtfslang;

import java.util.Objects;

/** A named RTFS source text (a file path as the user wrote it, or a synthetic name such as "<stdin>"). */
public record SourceFile(String name, String text) {
    public SourceFile {
        Objects.requireNonNull(name);
        Objects.requireNonNull(text);
    }

    /** The 1-based line, without its line terminator, or "" when out of range (for caret rendering). */
    public String line(int lineNumber) {
        if (lineNumber < 1) return "";
        int start = 0;
        for (int n = 1; n < lineNumber; n++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) return "";
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        if (end < 0) end = text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, end);
    }
}
