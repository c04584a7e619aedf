package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines of long commands on stderr, {@code <command>: [  6.3 s] <what happened>}, so stdout stays the
 * command's result (JSON included); {@code --quiet} turns them off. Messages are printable already (the
 * supervisor and the image build make guest-chosen text safe before it reaches an event).
 */
final class Progress {

    private final String command;
    private final PrintWriter err;
    private final long start = System.nanoTime();

    private Progress(String command, PrintWriter err) {
        this.command = command;
        this.err = err;
    }

    /** Lines for {@code command} on {@code err}, or none when {@code quiet}. */
    static Progress of(String command, boolean quiet, PrintWriter err) {
        return new Progress(command, quiet ? null : err);
    }

    /** A line stamped with the time since the command started. */
    void line(String message) {
        if (err == null) {
            return;
        }
        synchronized (err) {
            err.printf(Locale.ROOT, "%s: [%6.1f s] %s%n", command, (System.nanoTime() - start) / 1e9, message);
            err.flush();
        }
    }
}
