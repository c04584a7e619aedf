package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rtfs-microvm proxy switch}: the proxy side of a blue/green update, through a running proxy's control API.
 * The new agents go in first, the old one leaves only once its last client connection has closed (so a run still
 * on the old VM finishes its requests), and a drain that does not finish in time leaves the old agent in place.
 * Exit 0 switched; 1 the proxy refused a document, the old agent is unknown, or the drain timed out (the old agent
 * stays); 2 usage errors, an unreadable file or an unreachable control socket.
 */
@Command(name = "switch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Blue/green switch of a running proxy through its control API (docs/control-api.md): PUT every "
                + "agent of FILE (new listeners and rules; the file's mode and resolve stay the proxy's own), wait until "
                + "the agent OLD_ID has no open client connections, then DELETE it. Each phase is printed on stderr "
                + "with its time.",
            "On a drain timeout OLD_ID is left in place and the command exits 1, naming how many connections were "
                + "still open."})
final class ProxySwitchCommand implements Callable<Integer> {

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** How often the drain asks for the old agent's connections. */
    static final long POLL_MILLIS = 100;

    @Spec CommandSpec spec;

    @Option(names = "--control-socket", required = true, paramLabel = "PATH",
            description = "The proxy's control socket (`proxy --control-socket PATH`).")
    String controlSocket;

    @Option(names = "--acl", required = true, paramLabel = "FILE",
            description = "ACL file with the new agent(s) (docs/egress-acl.md).")
    String acl;

    @Option(names = "--retire", required = true, paramLabel = "OLD_ID", description = "The agent to drain and remove.")
    String retire;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for OLD_ID's connections to close (default: ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!AGENT_ID.matcher(retire).matches()) {
            throw new UsageException("--retire '" + retire + "' is not an agent id ([A-Za-z0-9][A-Za-z0-9._-]{0,63})");
        }
        if (drainTimeoutSeconds < 0) {
            throw new UsageException("--drain-timeout must be 0 or more seconds, not " + drainTimeoutSeconds);
        }
        AclFile file;
        try {
            file = AclFileReader.read(acl);
        } catch (AclFileReader.Refused e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.FAILED;
        }
        if (file.agents().containsKey(retire)) {
            throw new UsageException("--retire " + retire + " is an agent of " + acl
                    + ": it would be removed right after it was put (give the new agent another id)");
        }
        ProxyControlClient control;
        try {
            control = new ProxyControlClient(Path.of(controlSocket).toAbsolutePath());
        } catch (InvalidPathException e) {
            throw new UsageException("invalid path: " + e.getInput());
        }
        Progress progress = Progress.of("proxy switch", false, err);
        try {
            ProxyControlClient.Answer old = control.get("/agents/" + retire);
            if (!old.ok()) {
                err.println("error: cannot retire " + retire + ": " + old.error() + "; nothing was changed");
                err.flush();
                return Main.FAILED;
            }
            List<String> added = new ArrayList<>();
            for (AgentAcl agent : file.agents().values()) {
                JsonNode body = JsonMapper.shared().readTree(AclCodec.toJson(agent));
                ProxyControlClient.Answer put = control.put("/agents/" + agent.agentId(), body);
                if (!put.ok()) {
                    err.println("error: the proxy refused agent " + agent.agentId() + ": " + put.error() + "; "
                            + retire + " was left in place" + (added.isEmpty() ? "" : " (already put: " + String.join(", ", added) + ")"));
                    err.flush();
                    return Main.FAILED;
                }
                added.add(agent.agentId());
                progress.line("put agent " + agent.agentId() + ": listening on " + put.body().path("listen").asString("?"));
            }
            int open = drain(control, progress);
            if (open > 0) {
                err.println("error: " + retire + " still has " + open + " open connection" + (open == 1 ? "" : "s")
                        + " after " + drainTimeoutSeconds + " s; it was left in place (run again with a longer "
                        + "--drain-timeout, or DELETE /agents/" + retire + " to cut them)");
                err.flush();
                return Main.FAILED;
            }
            if (open == 0) {
                ProxyControlClient.Answer deleted = control.delete("/agents/" + retire);
                if (!deleted.ok() && deleted.status() != 404) {
                    err.println("error: cannot remove " + retire + ": " + deleted.error());
                    err.flush();
                    return Main.FAILED;
                }
            }
            progress.line("retired " + retire);
            out.println("switched: " + String.join(", ", added) + " in, " + retire + " retired");
            out.flush();
            return Main.OK;
        } catch (IOException e) {
            throw new UsageException(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted while draining " + retire + "; it was left in place");
            err.flush();
            return Main.FAILED;
        }
    }

    /**
     * Waits until the old agent has no open connections: 0 when drained, -1 when it is already gone (removed by
     * someone else), else the count still open at the deadline.
     */
    private int drain(ProxyControlClient control, Progress progress) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + drainTimeoutSeconds * 1_000_000_000L;
        int last = -2;
        while (true) {
            ProxyControlClient.Answer a = control.get("/agents/" + retire);
            if (a.status() == 404) {
                progress.line("draining " + retire + ": already removed");
                return -1;
            }
            if (!a.ok() || !a.body().path("active_connections").isNumber()) {
                throw new IOException("GET /agents/" + retire + " answered without active_connections: " + a.error());
            }
            int open = a.body().get("active_connections").asInt();
            if (open != last) {
                progress.line("draining " + retire + ": " + open + " open connection" + (open == 1 ? "" : "s"));
                last = open;
            }
            if (open == 0 || System.nanoTime() - deadline >= 0) {
                return open;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
