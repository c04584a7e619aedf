package dev.rtfs.microvm.egressproxy.acldir;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egressproxy.EgressProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.net.InetAddress;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a proxy's agents equal to an ACL directory's: {@link #poll()} re-reads it and, when its digest changed,
 * puts new and changed agents and removes those gone. A refused directory (invalid file, duplicate agent, an
 * agent the proxy refuses) changes nothing: it is logged and counted, and the ACLs in use stay until a valid
 * content comes. The files' {@code mode} and {@code resolve} are the proxy's, set when it starts: a content that
 * changes them is refused the same way (restart the proxy to change them), never half applied. {@link #start} polls
 * on one daemon thread at a fixed period (no busy loop); tests call {@link #poll()} themselves.
 */
public final class AclDirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AclDirectoryWatcher.class);

    private final Path dir;
    private final EgressProxy proxy;
    private String digest = "";
    private boolean loaded;
    private ScheduledExecutorService timer;

    public AclDirectoryWatcher(Path dir, EgressProxy proxy) {
        this.dir = dir;
        this.proxy = proxy;
    }

    /** What one poll did. */
    public enum Outcome { UNCHANGED, APPLIED, REFUSED }

    /** Reads the directory once and applies a changed content. */
    public Outcome poll() {
        return apply(AclDirectory.read(dir));
    }

    /**
     * Applies a read of the directory: the first is the content the proxy was built from (its mode and resolve), so
     * the command that read it to build the proxy hands that read here rather than reading the directory again.
     */
    public synchronized Outcome apply(AclDirectory.Read read) {
        switch (read) {
            case AclDirectory.Read.Refused r -> {
                return refuse(r.reason());
            }
            case AclDirectory.Read.Loaded l -> {
                if (l.digest().equals(digest)) {
                    lastRefusal = null;
                    return Outcome.UNCHANGED;
                }
                ProxyWide now = new ProxyWide(l.acls().mode(), l.acls().resolve());
                if (startedWith == null) {
                    startedWith = now;
                } else if (!startedWith.equals(now)) {
                    return refuse("\"mode\" or \"resolve\" changed: they are read when the proxy starts (restart it"
                            + " to change them); the agents of this content are not applied either");
                }
                lastRefusal = null;
                Map<String, AgentAcl> wanted = l.acls().agents();
                try {
                    apply(wanted);
                } catch (RuntimeException e) {
                    LOG.error("ACL directory {} not fully applied: {}", dir, e.getMessage());
                    proxy.metrics().aclReloadFailed();
                    return Outcome.REFUSED;
                }
                digest = l.digest();
                loaded = true;
                LOG.info("ACL directory {} applied: {} agents", dir, wanted.size());
                return Outcome.APPLIED;
            }
        }
    }

    private String lastRefusal;
    private ProxyWide startedWith;

    /** What the files say for the whole proxy rather than for an agent. */
    private record ProxyWide(EnforcementMode mode, Map<String, List<InetAddress>> resolve) {}

    private Outcome refuse(String reason) {
        if (!reason.equals(lastRefusal)) {
            LOG.error("ACL directory {} refused, the ACLs in use stay: {}", dir, reason);
        }
        lastRefusal = reason;
        proxy.metrics().aclReloadFailed();
        return Outcome.REFUSED;
    }

    /** True once a content of the directory has been applied. */
    public synchronized boolean loaded() {
        return loaded;
    }

    /**
     * Checks every agent first (a put can still refuse one: a secret it cannot hold), then applies: removals last,
     * so an agent moving between files is never absent.
     */
    private void apply(Map<String, AgentAcl> wanted) {
        Set<String> gone = new HashSet<>(proxy.agents());
        gone.removeAll(wanted.keySet());
        for (AgentAcl a : wanted.values()) {
            boolean same = proxy.agentState(a.agentId()).map(s -> s.agent().acl().equals(a)).orElse(false);
            if (!same) {
                proxy.putAgent(a);
            }
        }
        gone.forEach(proxy::removeAgent);
    }

    /** Polls every {@code period} on a daemon thread until closed. */
    public synchronized void start(Duration period) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acl-dir-watcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.error("ACL directory {} poll failed: {}", dir, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
