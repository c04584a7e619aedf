package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The CLI's own picocli model with every command, for the docs tests (package cli.docs) to parse lines with. */
public final class DocsCli {
    private DocsCli() {}

    public static CommandLine parser() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "");
    }
}
