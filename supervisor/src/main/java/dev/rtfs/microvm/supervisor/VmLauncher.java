package dev.rtfs.microvm.supervisor;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Starts a VMM process from its argv; everything it prints goes to the run's {@link GuestLog}. */
interface VmLauncher {

    RunningVm start(List<String> argv, GuestLog log) throws IOException;

    /** A started VM: its exit code once it ends (and its output is in the log), and a way to end it. */
    interface RunningVm {
        CompletableFuture<Integer> exit();

        /** Ends the VM now (no-op once it exited). */
        void kill();
    }
}
