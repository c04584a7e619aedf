package dev.rtfs.microvm.egressproxy.acldir;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egressproxy.EgressProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
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
 * content comes. {@link #start} polls on one daemon thread at a fixed period (no busy loop); tests call
 * {@link #poll()} themselves.
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
    public synchronized Outcome poll() {
        AclDirectory.Read read = AclDirectory.read(dir);
        switch (read) {
            case AclDirectory.Read.Refused r -> {
                if (!r.reason().equals(lastRefusal)) {
                    LOG.error("ACL directory {} refused, the ACLs in use stay: {}", dir, r.reason());
                }
                lastRefusal = r.reason();
                proxy.metrics().aclReloadFailed();
                return Outcome.REFUSED;
            }
            case AclDirectory.Read.Loaded l -> {
                lastRefusal = null;
                if (l.digest().equals(digest)) {
                    return Outcome.UNCHANGED;
                }
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
