package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.server.AgentChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the guest's hello, the VM's exit and the hello timeout together, so a guest that cannot boot ends
 * its boot attempt as soon as the VMM exits, not at the timeout.
 */
final class BootWait {

    /** How often the exit is looked at while no hello came: well under the second the issue allows. */
    private static final long POLL_MS = 50;
    /** Lines of the guest log an error shows. */
    static final int LOG_LINES = 15;

    private BootWait() {}

    /** How the wait ended. */
    sealed interface Outcome permits Greeted, Exited, TimedOut {}

    /** The guest said hello after {@code bootTime}. */
    record Greeted(String bootId, Duration bootTime) implements Outcome {
        Greeted {
            Objects.requireNonNull(bootId);
        }
    }

    /** The VMM exited with {@code code} {@code after} its start, before any hello. */
    record Exited(int code, Duration after) implements Outcome {}

    /** Neither hello nor exit within the timeout (the VM is still running; the caller stops it). */
    record TimedOut(Duration after) implements Outcome {}

    /**
     * Waits for the hello of the VM just started: a hello from the boot before (its connection not yet seen
     * closed) does not count, so calls never go to a guest that is gone.
     */
    static Outcome await(AgentChannel channel, String previousBootId, VmLauncher.RunningVm vm, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            if (vm.exit().isDone()) {
                return new Exited(vm.exit().handle((c, e) -> c == null ? -1 : c).join(), since(start));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new TimedOut(since(start));
            }
            try {
                Hello hello = channel.awaitHello().get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)),
                        TimeUnit.NANOSECONDS);
                if (!hello.bootId().equals(previousBootId)) {
                    return new Greeted(hello.bootId(), since(start));
                }
                Thread.sleep(POLL_MS);
            } catch (TimeoutException | ExecutionException e) {
                // no hello yet (or the last connection failed): look at the exit again
            }
        }
    }

    /** Why a boot that never said hello failed, with the end of the guest log: the user's first clue. */
    static String describe(Outcome outcome, int attempt, GuestLog log) {
        String head = switch (outcome) {
            case Exited x -> "the guest exited before it said hello (boot " + attempt + ", VMM exit code " + x.code()
                    + " after " + seconds(x.after()) + ")";
            case TimedOut t -> "no hello from the guest within " + seconds(t.after()) + " (boot " + attempt + ")"
                    + (log.bytesSinceMark() == 0 ? ": it printed nothing (hung before its console came up)" : "");
            case Greeted h -> throw new IllegalArgumentException("a boot that said hello did not fail");
        };
        List<String> lines = log.lastLines(LOG_LINES);
        StringBuilder s = new StringBuilder(head);
        // The panic line may sit above a call trace longer than the lines shown: look through the whole tail.
        log.lastLines(GuestLog.TAIL_LINES).stream().filter(l -> l.contains("Kernel panic")).reduce((a, b) -> b)
                .ifPresent(p -> s.append("\n  cause: ").append(p.strip()));
        if (!lines.isEmpty()) {
            s.append("\n  last lines of the guest log (").append(log.file()).append("):");
            lines.forEach(l -> s.append("\n    | ").append(l));
        }
        return s.toString();
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
