package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.config.report.ReportFormat;
import dev.rtfs.microvm.control.chain.AnchorSigner;
import dev.rtfs.microvm.control.chain.ChainRecord;
import dev.rtfs.microvm.control.chain.ChainVerifier;
import dev.rtfs.microvm.control.chain.RecordFormat;
import dev.rtfs.microvm.control.chain.VerifyReport;
import dev.rtfs.microvm.control.protocol.GuestText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rtfs-microvm chain verify|show FILE|DIR}: checks or prints a causal chain (DESIGN §9). A directory is a whole
 * chain (all segments from seq 1); a file is one segment. Exit 0 valid; 1 with the first bad seq and why; 2 for usage
 * errors and unreadable paths.
 */
@Command(name = "chain", mixinStandardHelpOptions = true,
        description = "Verify or print a causal chain (hash-chained event log).",
        subcommands = {ChainCommand.Verify.class, ChainCommand.Show.class})
final class ChainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USAGE;
    }

    /** Shared arguments of both subcommands. */
    abstract static class ChainArgs {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A chain directory or one segment file.")
        String target;

        @Option(names = "--anchor-key", paramLabel = "PEM",
                description = "Ed25519 public key (PEM); anchor records must be signed by it.")
        String anchorKey;

        /** Runs the verifier, printing a verdict through {@code verdict}; returns the exit code. */
        int walk(Consumer<ChainRecord> sink, Consumer<VerifyReport> verdict) {
            PrintWriter err = spec.commandLine().getErr();
            Path path;
            PublicKey key = null;
            try {
                path = Path.of(target);
                if (anchorKey != null) key = AnchorSigner.readPublicKey(Path.of(anchorKey));
            } catch (InvalidPathException e) {
                err.println("error: invalid path: " + e.getInput());
                return Main.USAGE;
            } catch (IOException e) {
                err.println("error: cannot read anchor key: " + e.getMessage());
                return Main.USAGE;
            }
            if (!Files.exists(path)) {
                err.println("error: cannot read " + target + ": no such file or directory");
                return Main.USAGE;
            }
            VerifyReport report;
            try {
                report = ChainVerifier.verify(path, key, sink);
            } catch (IOException e) {
                err.println("error: cannot read " + target + ": " + e.getMessage());
                return Main.USAGE;
            }
            if (report instanceof VerifyReport.Valid v && v.segments() == 0) {
                // An empty chain is valid, but a mistyped directory should not pass unnoticed.
                err.println("note: " + target + " holds no segment files (<first seq, 20 digits>.seg): an empty chain");
            }
            verdict.accept(report);
            return report instanceof VerifyReport.Valid ? Main.OK : Main.FAILED;
        }

        static String describe(VerifyReport.Invalid bad) {
            String where = bad.file() + " byte " + bad.offset();
            return (bad.seq() > 0 ? "seq " + bad.seq() : "first record") + ": " + bad.reason() + " (" + where + ")";
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every record's hash, seq and link; name the first bad record.")
    static final class Verify extends ChainArgs implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int code = walk(r -> { }, report -> {
                switch (report) {
                    case VerifyReport.Valid v -> {
                        out.println("valid: " + v.records() + " record(s)"
                                + (v.records() > 0 ? ", seq " + v.firstSeq() + ".." + v.headSeq() : "")
                                + " in " + v.segments() + " segment(s)");
                        out.println("head: seq " + v.headSeq() + " hash " + v.headHash());
                        if (v.anchors() > 0 || anchorKey != null) {
                            out.println("anchors: " + v.anchors() + (anchorKey != null
                                    ? ", " + v.anchorsVerified() + " signature(s) verified" : ", signatures not checked (no --anchor-key)"));
                        }
                    }
                    case VerifyReport.Invalid bad -> err.println("error: chain invalid at " + describe(bad)
                            + "; " + bad.validRecordsBefore() + " record(s) before it are valid");
                }
            });
            out.flush();
            err.flush();
            return code;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the records (checked as they are read; stops at the first bad one).")
    static final class Show extends ChainArgs implements Callable<Integer> {
        private static final JsonMapper JSON = JsonMapper.builder().build();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<ReportFormat> chosen = DiagnosticOutput.textOrJson(format, err);
            if (chosen.isEmpty()) return Main.USAGE;
            boolean json = chosen.get() == ReportFormat.JSON;
            boolean[] first = {true};
            if (json) out.print("[");
            int code = walk(r -> {
                if (json) {
                    out.print((first[0] ? "\n" : ",\n") + JSON.writeValueAsString(RecordFormat.toJson(r)));
                } else {
                    out.println(r.seq() + "  " + Instant.ofEpochMilli(r.ts()) + "  " + GuestText.printable(r.kind())
                            + "  agent=" + dash(r.agentId()) + " plan=" + dash(r.planId()) + " step=" + dash(r.step())
                            + "  " + GuestText.printable(JSON.writeValueAsString(r.data())) + "  " + r.hash().substring(0, 12));
                }
                first[0] = false;
            }, report -> {
                if (json) out.println(first[0] ? "]" : "\n]");
                if (report instanceof VerifyReport.Invalid bad) {
                    err.println("error: chain invalid at " + describe(bad) + "; records above it are valid");
                }
            });
            out.flush();
            err.flush();
            return code;
        }

        private static String dash(String s) {
            return s == null ? "-" : GuestText.printable(s);
        }
    }
}
