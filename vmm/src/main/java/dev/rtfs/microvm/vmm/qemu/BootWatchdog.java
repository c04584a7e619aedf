package dev.rtfs.microvm.vmm.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots a VMM process and waits for a marker line on its serial console (stdout). Under TCG a guest can hang in
 * early boot when the host is busy, so a boot that shows no marker within the deadline is killed
 * and started again, up to {@code attempts} times; every retry is logged.
 */
public final class BootWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(BootWatchdog.class);
    private static final int CONSOLE_LINES = 60;

    private final Duration deadline;
    private final int attempts;

    public BootWatchdog(Duration deadline, int attempts) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be >= 1");
        this.deadline = deadline;
        this.attempts = attempts;
    }

    /** Runs {@code argv} until the guest prints {@code marker} and the process exits, or the deadline passes. */
    public BootOutcome boot(List<String> argv, String marker) throws IOException, InterruptedException {
        long start = System.nanoTime();
        BootOutcome last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            last = once(argv, marker, attempt, start);
            if (last.succeeded()) return last;
            if (last.exited()) {
                return last; // the VMM ended on its own without the marker: an error, not a hang; no retry
            }
            if (attempt < attempts) {
                LOG.warn("guest boot attempt {} failed (marker seen: {}, exited: {}); retrying from a clean start",
                        attempt, last.markerSeen(), last.exited());
            }
        }
        return last;
    }

    private BootOutcome once(List<String> argv, String marker, int attempt, long start)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close(); // -serial stdio: no input for the guest
        CountDownLatch seen = new CountDownLatch(1);
        CountDownLatch consoleClosed = new CountDownLatch(1);
        Deque<String> console = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (console) {
                        console.addLast(line);
                        if (console.size() > CONSOLE_LINES) console.removeFirst();
                    }
                    if (line.contains(marker)) seen.countDown();
                }
            } catch (IOException e) {
                LOG.debug("console reader ended", e);
            } finally {
                consoleClosed.countDown();
            }
        });
        long end = System.nanoTime() + deadline.toNanos();
        // Wait for the marker, or for the console to close because the VMM ended before printing it.
        while (seen.getCount() > 0 && consoleClosed.getCount() > 0 && System.nanoTime() < end) {
            seen.await(50, TimeUnit.MILLISECONDS);
        }
        boolean markerSeen = seen.getCount() == 0;
        long left = Math.max(end - System.nanoTime(), 0);
        // After the marker the guest powers off; after a closed console the process is already ending.
        boolean exited = markerSeen || consoleClosed.getCount() == 0
                ? p.waitFor(Math.max(left, TimeUnit.SECONDS.toNanos(2)), TimeUnit.NANOSECONDS)
                : false;
        if (!exited) {
            p.destroyForcibly(); // hung: the caller decides whether to retry
            p.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(Duration.ofSeconds(2));
        String text;
        synchronized (console) {
            text = String.join("\n", console);
        }
        return new BootOutcome(markerSeen, exited, exited ? p.exitValue() : -1, attempt,
                Duration.ofNanos(System.nanoTime() - start), text);
    }
}
