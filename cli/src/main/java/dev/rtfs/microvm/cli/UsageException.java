package dev.rtfs.microvm.cli;

import java.util.List;

/**
 * A command line that cannot run as written: a bad option value, an unreadable file, an unusable path. {@link Main}
 * prints each of {@link #lines} as {@code error: LINE} and exits 2, so commands say what is wrong and never pick
 * the exit code themselves. With no lines (a command group run without its subcommand) the command's usage is
 * printed instead.
 */
final class UsageException extends RuntimeException {
    private final transient List<String> lines;

    /** {@code message} is the one line printed after {@code error: }. */
    UsageException(String message) {
        this(List.of(message));
    }

    private UsageException(List<String> lines) {
        super(String.join("\n", lines), null, false, false);
        this.lines = List.copyOf(lines);
    }

    /** One {@code error:} line per problem, in order (e.g. every unreadable file of a run). */
    static UsageException of(List<String> lines) {
        if (lines.isEmpty()) throw new IllegalArgumentException("a usage error says what is wrong");
        return new UsageException(lines);
    }

    /** A command group run without a subcommand: its usage goes to stderr. */
    static UsageException showUsage() {
        return new UsageException(List.of());
    }

    List<String> lines() {
        return lines;
    }
}
