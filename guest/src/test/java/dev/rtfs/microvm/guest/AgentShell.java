package dev.rtfs.microvm.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the agent script's helpers with the host's busybox (the same binary the guest gets): the script is sourced
 * with {@code RTFS_AGENT_NO_MAIN=1}, then {@code command} runs with {@code $1} bound to {@code arg}.
 */
final class AgentShell {

    record Run(int exit, byte[] stdout, String stderr) {}

    private final Path script;
    private final Path work;

    AgentShell(Path dir) throws IOException {
        this.script = dir.resolve("agent.sh");
        this.work = Files.createDirectories(dir.resolve("work"));
        Files.write(script, ReferenceAgent.script());
    }

    Path work() {
        return work;
    }

    Run run(String command, String arg) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/busybox", "sh", "-c",
                ". \"$AGENT_SCRIPT\"; " + command, "agent-test", arg);
        pb.environment().put("AGENT_SCRIPT", script.toString());
        pb.environment().put("RTFS_AGENT_NO_MAIN", "1");
        pb.environment().put("RTFS_AGENT_WORK", work.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Path err = work.resolve("stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("helper did not finish: " + command);
        }
        return new Run(p.exitValue(), out, Files.readString(err));
    }
}
