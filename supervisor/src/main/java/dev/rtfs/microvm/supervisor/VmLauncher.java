package dev.rtfs.microvm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Starts a VMM process from its argv; its console goes to {@code consoleLog}. */
public interface VmLauncher {

    RunningVm start(List<String> argv, Path consoleLog) throws IOException;

    /** A started VM: its exit code once it ends, and a way to end it. */
    interface RunningVm {
        CompletableFuture<Integer> exit();

        /** Ends the VM now (no-op once it exited). */
        void kill();
    }
}
