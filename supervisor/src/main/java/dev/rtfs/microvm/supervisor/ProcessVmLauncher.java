package dev.rtfs.microvm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real launcher: the VMM as a child process, stdin from /dev/null, stdout and stderr piped into the guest
 * log. The exit future completes once the process ended and its output is in the log; processes the VMM started
 * (QEMU's guestfwd relays) may hold the pipe open, so the wait for the end of the output is bounded.
 */
public final class ProcessVmLauncher implements VmLauncher {

    private static final long DRAIN_AFTER_EXIT_MS = 1000;

    @Override
    public RunningVm start(List<String> argv, GuestLog log) throws IOException {
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Void> drained = log.pump(p.getInputStream());
        CompletableFuture<Integer> exit = p.onExit().thenCompose(done -> drained
                .completeOnTimeout(null, DRAIN_AFTER_EXIT_MS, TimeUnit.MILLISECONDS)
                .handle((v, e) -> done.exitValue()));
        return new RunningVm() {
            @Override
            public CompletableFuture<Integer> exit() {
                return exit;
            }

            @Override
            public void kill() {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        };
    }
}
