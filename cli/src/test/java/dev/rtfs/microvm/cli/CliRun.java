package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the whole CLI through {@link Main#run}: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
