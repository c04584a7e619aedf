package dev.rtfs.microvm.guest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU run for the agent's boot test: the whole serial console is kept (the test prints it when an assertion
 * fails), and the process is killed when the test ends without it having powered off.
 */
final class AgentGuestProcess implements AutoCloseable {
    private final Process process;
    private final StringBuilder console = new StringBuilder();
    private final Thread reader;

    private AgentGuestProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().name("guest-console").start(this::pump);
    }

    static AgentGuestProcess start(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close(); // -serial stdio: the guest gets no input
        return new AgentGuestProcess(p);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (console) {
                    console.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    String console() {
        synchronized (console) {
            return console.toString();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code, or -1 when the guest did not power off within {@code deadline}. */
    int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) return -1;
        reader.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
