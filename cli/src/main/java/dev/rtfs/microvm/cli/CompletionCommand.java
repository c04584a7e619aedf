package dev.rtfs.microvm.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the completion script of every command and option. picocli's script serves both shells: in zsh it loads
 * bashcompinit itself, so {@code zsh} prints the same script.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash or zsh (every command, option and choice).", "",
            "Install for bash, in this shell:",
            "  source <(./rtfs-microvm completion bash)",
            "or for every new shell:",
            "  mkdir -p ~/.local/share/bash-completion/completions",
            "  ./rtfs-microvm completion bash \\",
            "    > ~/.local/share/bash-completion/completions/rtfs-microvm",
            "Install for zsh, in ~/.zshrc after compinit:",
            "  source <(rtfs-microvm completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new UsageException("unknown shell '" + shell + "' (expected bash or zsh)");
        }
        CommandSpec root = spec.root();
        spec.commandLine().getOut().print(AutoComplete.bash(root.name(), root.commandLine()));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
