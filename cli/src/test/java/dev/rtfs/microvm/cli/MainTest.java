package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top level: version, help, completion script and usage errors. */
class MainTest {

    private static String[] commandNames() {
        return Main.COMMANDS.stream().map(c -> c.getAnnotation(Command.class).name()).toArray(String[]::new);
    }

    @Test
    void versionNamesTheToolAndTheJvm() {
        CliRun r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("rtfs-microvm ").contains("JVM: " + System.getProperty("java.version"));
        assertThat(run("check", "--version").out()).isEqualTo(r.out());
        assertThat(run("expand", "--version").out()).isEqualTo(r.out());
    }

    @Test
    void helpListsEveryCommand() {
        CliRun r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(commandNames());
    }

    @Test
    void completionScriptCompletesTheCommandsAndCheckOptions() {
        CliRun r = run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F")
                .contains(commandNames()).contains("--warnings-as-errors", "--format", "--load")
                .contains("text", "json", "sarif");
    }

    @Test
    void completionHelpExplainsHowToInstallTheScript() {
        CliRun r = run("completion", "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("source <(./rtfs-microvm completion bash)")
                .contains("~/.local/share/bash-completion/completions/rtfs-microvm")
                .contains("completion zsh").contains("SHELL");
    }

    @Test
    void completionTakesBashOrZshAndRefusesOtherShells() {
        CliRun bash = run("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).isEqualTo(run("completion").out());
        CliRun zsh = run("completion", "zsh");
        assertThat(zsh.exit()).isZero();
        assertThat(zsh.out()).as("picocli's script loads bashcompinit in zsh").contains("bashcompinit");
        CliRun fish = run("completion", "fish");
        assertThat(fish.exit()).isEqualTo(2);
        assertThat(fish.err()).contains("unknown shell 'fish' (expected bash or zsh)");
        assertThat(fish.out()).isEmpty();
    }

    @Test
    void unknownCommandOrNoneIsAUsageError() {
        CliRun unknown = run("bogus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument").contains("bogus");
        assertThat(unknown.out()).isEmpty();
        assertThat(run().exit()).isEqualTo(2);
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override public Integer call() { throw new IllegalStateException("bug"); }
    }

    @Test
    void aBugInACommandIsOneLineAndExitTwoNotAStackTrace() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cli = Main.commandLine(new PrintWriter(out, true), errWriter, "");
        cli.addSubcommand(new Boom());
        cli.setErr(errWriter); // reaches the added command too, as for the registered ones
        assertThat(cli.execute("boom")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: internal error: java.lang.IllegalStateException: bug\n");
        assertThat(out.toString()).isEmpty();
    }
}
