package dev.rtfs.microvm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The real launcher: the VMM as a child process, stdin closed, stdout and stderr appended to the console log. */
public final class ProcessVmLauncher implements VmLauncher {

    @Override
    public RunningVm start(List<String> argv, Path consoleLog) throws IOException {
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
                .start();
        CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
        return new RunningVm() {
            @Override
            public CompletableFuture<Integer> exit() {
                return exit;
            }

            @Override
            public void kill() {
                p.destroyForcibly();
            }
        };
    }
}
