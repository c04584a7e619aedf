package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.controlplane.chain.AnchorSigner;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.HeadStatus;
import dev.rtfs.microvm.controlplane.chain.HeadTrust;
import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.controlplane.chain.SignedHead;
import dev.rtfs.microvm.controlplane.chain.RecordFormat;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.rtfslang.PrintableText;
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
 * {@code rtfs-microvm chain verify|show FILE|DIR} and {@code chain key}: checks or prints a causal chain (format: control-plane/PROTOCOL.md),
 * prints the host's chain key. A directory is a whole chain (all segments from seq 1) whose end is vouched for by
 * its signed {@code HEAD}; a file is one segment (records only). Verify exits 0 valid and ending at a verified signed
 * head; 1 invalid, naming the first bad seq or what the head says is missing; 3 intact but with records after the
 * signed head (a crash between a commit and the head update, or records appended without the key); 2 for usage
 * errors, unreadable paths and when there is no key to check the head with.
 */
@Command(name = "chain", mixinStandardHelpOptions = true,
        description = "Verify or print a causal chain (hash-chained event log); print the host's chain key.",
        subcommands = {ChainCommand.Verify.class, ChainCommand.Show.class, ChainCommand.Key.class})
final class ChainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw UsageException.showUsage();
    }

    /** Shared arguments of both subcommands. */
    abstract static class ChainArgs {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A chain directory or one segment file.")
        String target;

        @Option(names = "--anchor-key", paramLabel = "PEM",
                description = "Ed25519 public key (PEM); anchor records must be signed by it.")
        String anchorKey;

        /** How a chain directory's HEAD is checked; a {@link UsageException} says why it cannot be (exit 2). */
        abstract HeadTrust trust(Path path);

        /** Runs the verifier, printing a verdict through {@code verdict}; returns the exit code (before the head's). */
        int walk(Consumer<ChainRecord> sink, Consumer<VerifyReport> verdict) {
            PrintWriter err = spec.commandLine().getErr();
            Path path;
            PublicKey key = null;
            try {
                path = Path.of(target);
                if (anchorKey != null) key = AnchorSigner.readPublicKey(Path.of(anchorKey));
            } catch (InvalidPathException e) {
                throw new UsageException("invalid path: " + e.getInput());
            } catch (IOException e) {
                throw new UsageException("cannot read anchor key: " + e.getMessage());
            }
            if (!Files.exists(path)) {
                throw new UsageException("cannot read " + target + ": no such file or directory");
            }
            HeadTrust trust = Files.isDirectory(path) ? trust(path) : new HeadTrust.RecordsOnly();
            VerifyReport report;
            try {
                report = ChainVerifier.verify(path, trust, key, sink);
            } catch (IOException e) {
                throw new UsageException("cannot read " + target + ": " + e.getMessage());
            }
            verdict.accept(report);
            return report instanceof VerifyReport.Valid ? Main.OK : Main.FAILED;
        }

        /** " at seq N: why (file byte offset)" for a record; ": why (HEAD)" for the head or the directory. */
        static String describe(VerifyReport.Invalid bad) {
            if (Files.isDirectory(bad.file()) || bad.file().getFileName().toString().equals(SignedHead.FILE_NAME)) {
                return ": " + bad.reason() + " (" + bad.file() + ")";
            }
            String where = bad.file() + " byte " + bad.offset();
            return " at " + (bad.seq() > 0 ? "seq " + bad.seq() : "first record") + ": " + bad.reason() + " (" + where + ")";
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check every record's hash, seq and link, and that a chain directory ends at its HEAD signed "
                    + "by the host key; name the first bad record or what is missing.",
                    "Exit 0 valid and signed; 1 invalid; 3 intact but records after the signed head are not signed "
                    + "(a crash between a commit and the head update, or records appended without the key); 2 usage, "
                    + "unreadable, or no key to check the head with."})
    static final class Verify extends ChainArgs implements Callable<Integer> {
        /** Intact records, but the signed head does not cover the last ones. */
        static final int UNSIGNED_TAIL = 3;

        @Option(names = "--key", paramLabel = "PUB",
                description = "Public key (PEM, from `chain key`) of the host that wrote the chain; default: the "
                        + "local host key's public half (see --chain-key).")
        String key;

        @Option(names = "--chain-key", paramLabel = "PATH",
                description = "The local host key whose public half (PATH.pub) checks HEAD when --key is not given "
                        + "(default: $RTFS_MICROVM_HOME/chain-key, else ~/.local/state/rtfs-microvm/chain-key).")
        String chainKey;

        @Option(names = "--no-signature",
                description = "Check the records only: HEAD's signature is not checked (a HEAD that is there is "
                        + "still compared with the records). Says so; never reports the chain as signed.")
        boolean noSignature;

        private String keySource;

        @Override
        HeadTrust trust(Path path) {
            if (noSignature) {
                if (key != null) {
                    throw new UsageException("--key and --no-signature contradict each other");
                }
                return new HeadTrust.SignatureWaived();
            }
            try {
                if (key != null) {
                    keySource = key;
                    return new HeadTrust.Key(HostKey.readPublicKeyFile(Path.of(key)));
                }
                Path local = chainKey != null ? Path.of(chainKey) : HostKey.defaultPath();
                Optional<PublicKey> pub = HostKey.readPublic(local);
                if (pub.isEmpty()) {
                    throw new UsageException("cannot check the signed head of " + target + ": no --key given and no host "
                            + "key at " + HostKey.publicKeyPath(local) + "; pass --key PUB (the public key of the "
                            + "host that wrote the chain: `rtfs-microvm chain key` there prints it), or "
                            + "--no-signature to check the records only");
                }
                keySource = "host key " + HostKey.publicKeyPath(local);
                return new HeadTrust.Key(pub.get());
            } catch (InvalidPathException e) {
                throw new UsageException("invalid path: " + e.getInput());
            } catch (IOException e) {
                throw new UsageException("cannot read the key: " + e.getMessage());
            }
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int[] headCode = {Main.OK};
            int code = walk(r -> { }, report -> {
                switch (report) {
                    case VerifyReport.Valid v -> headCode[0] = printValid(v, out, err);
                    case VerifyReport.Invalid bad -> err.println("error: chain invalid" + describe(bad)
                            + "; " + bad.validRecordsBefore() + " record(s) before it are valid");
                }
            });
            out.flush();
            err.flush();
            return code == Main.OK ? headCode[0] : code;
        }

        private int printValid(VerifyReport.Valid v, PrintWriter out, PrintWriter err) {
            String range = v.records() + " record(s)" + (v.records() > 0 ? ", seq " + v.firstSeq() + ".." + v.headSeq() : "")
                    + " in " + v.segments() + " segment(s)";
            int exit = Main.OK;
            switch (v.head()) {
                case HeadStatus.Signed s when s.signatureChecked() -> out.println("valid: " + range);
                case HeadStatus.Signed s -> out.println("records valid (signature NOT checked: --no-signature): " + range);
                case HeadStatus.UnsignedTail t -> {
                    out.println("intact, but not all signed: " + range);
                    exit = UNSIGNED_TAIL;
                }
                case HeadStatus.NotChecked n when Files.isRegularFile(Path.of(target)) ->
                        out.println("segment intact: " + range);
                case HeadStatus.NotChecked n -> out.println("records valid (signature NOT checked: --no-signature): " + range);
            }
            out.println("head: seq " + v.headSeq() + " hash " + v.headHash());
            switch (v.head()) {
                case HeadStatus.Signed s -> out.println("signed head: seq " + s.head().seq() + ", key " + s.head().keyId()
                        + (s.signatureChecked() ? ", signature verified with " + keySource : ", signature not checked"));
                case HeadStatus.UnsignedTail t -> {
                    out.println("signed head: seq " + t.head().seq() + ", key " + t.head().keyId()
                            + (t.signatureChecked() ? ", signature verified with " + keySource : ", signature not checked"));
                    err.println("warning: " + t.unsignedRecords() + " record(s) after the signed head (seq "
                            + (t.head().seq() + 1) + ".." + v.headSeq() + ") are intact but not signed: a crash "
                            + "between a commit and the head update leaves this, and so do records appended "
                            + "without the key; nothing was removed");
                }
                case HeadStatus.NotChecked n -> out.println("signed head: not checked (" + n.why() + ")");
            }
            if (v.anchors() > 0 || anchorKey != null) {
                out.println("anchors: " + v.anchors() + (anchorKey != null
                        ? ", " + v.anchorsVerified() + " signature(s) verified" : ", signatures not checked (no --anchor-key)"));
            }
            return exit;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the records (checked as they are read; stops at the first bad one). The signed head "
                    + "is not checked here: use `chain verify`.")
    static final class Show extends ChainArgs implements Callable<Integer> {
        private static final JsonMapper JSON = JsonMapper.builder().build();

        @Override
        HeadTrust trust(Path path) {
            return new HeadTrust.RecordsOnly();
        }

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean json = DiagnosticOutput.textOrJson(format) == ReportFormat.JSON;
            boolean[] first = {true};
            if (json) out.print("[");
            int code = walk(r -> {
                if (json) {
                    out.print((first[0] ? "\n" : ",\n") + JSON.writeValueAsString(RecordFormat.toJson(r)));
                } else {
                    out.println(r.seq() + "  " + Instant.ofEpochMilli(r.ts()) + "  " + PrintableText.of(r.kind())
                            + "  agent=" + dash(r.agentId()) + " plan=" + dash(r.planId()) + " step=" + dash(r.step())
                            + "  " + PrintableText.of(JSON.writeValueAsString(r.data())) + "  " + r.hash().substring(0, 12));
                }
                first[0] = false;
            }, report -> {
                if (json) out.println(first[0] ? "]" : "\n]");
                if (report instanceof VerifyReport.Invalid bad) {
                    err.println("error: chain invalid" + describe(bad) + "; records above it are valid");
                }
            });
            out.flush();
            err.flush();
            return code;
        }

        private static String dash(String s) {
            return s == null ? "-" : PrintableText.of(s);
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = {"Print the public half of this host's chain key (PEM), creating the key on first use; "
                    + "copy it to another machine for `chain verify --key PUB`.",
                    "The key is PATH (mode 0600, both PEM blocks) and PATH.pub (the public block)."})
    static final class Key implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--chain-key", paramLabel = "PATH",
                description = "The host key (default: $RTFS_MICROVM_HOME/chain-key, else "
                        + "~/.local/state/rtfs-microvm/chain-key).")
        String chainKey;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Path path = chainKey != null ? Path.of(chainKey) : HostKey.defaultPath();
                AnchorSigner key = HostKey.loadOrCreate(path);
                out.print(AnchorSigner.publicKeyPem(key.publicKey()));
                err.println("chain key " + path.toAbsolutePath() + " (key id " + AnchorSigner.keyId(key.publicKey())
                        + "); public key also in " + HostKey.publicKeyPath(path.toAbsolutePath()));
                return Main.OK;
            } catch (InvalidPathException e) {
                throw new UsageException("invalid path: " + e.getInput());
            } catch (IOException e) {
                throw new UsageException(String.valueOf(e.getMessage()));
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
