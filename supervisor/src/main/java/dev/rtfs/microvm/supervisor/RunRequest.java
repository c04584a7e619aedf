package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code run}: the agent config (with its {@code --load} files) and the plan as the caller read them, once
 * and bounded (the CLI's edge; each {@link SourceFile} is named by its path as the user wrote it, which
 * diagnostics and the chain's {@code run.started} record show), where relative image paths of
 * the config resolve ({@code imageDir}), the run directory (sockets, console log, causal chain), the guest's
 * initramfs and capability store, and the bounds (boots, timeouts, the guest log's size). {@code resolve} and {@code allowRanges} are the egress proxy's
 * static name overrides and the ranges allowed names may resolve into (the demo maps its domains to loopback
 * origins); empty in production. {@code originPorts} maps the port of an allowed decision to the port the proxy
 * dials instead, for loopback addresses only (the demo's origins listen on ephemeral ports while the plan says
 * {@code https://example.com/}, port 443); empty in production. {@code upstreamCa} overrides the config's
 * {@code :upstream_ca} (the demo's origins have a test CA the config cannot name); empty in production. {@code chainKey} is the host key that signs the chain's head (default
 * {@link HostKey#defaultPath()}).
 */
public record RunRequest(
        SourceFile config,
        List<SourceFile> loads,
        SourceFile plan,
        Path imageDir,
        Path runDir,
        Optional<Path> initrd,
        Optional<Path> capabilitiesImage,
        Map<String, List<InetAddress>> resolve,
        List<String> allowRanges,
        Map<Integer, Integer> originPorts,
        Optional<Path> upstreamCa,
        Duration helloTimeout,
        Duration stepTimeout,
        Duration shutdownTimeout,
        int maxAttempts,
        long guestLogMaxBytes,
        Path chainKey) {

    public RunRequest {
        Objects.requireNonNull(config);
        loads = List.copyOf(loads);
        Objects.requireNonNull(plan);
        Objects.requireNonNull(imageDir);
        Objects.requireNonNull(runDir);
        Objects.requireNonNull(initrd);
        Objects.requireNonNull(capabilitiesImage);
        resolve = Map.copyOf(resolve);
        allowRanges = List.copyOf(allowRanges);
        originPorts = Map.copyOf(originPorts);
        Objects.requireNonNull(upstreamCa);
        Objects.requireNonNull(chainKey);
        if (guestLogMaxBytes < 1024) {
            throw new IllegalArgumentException("the guest log needs at least 1 KiB");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }

    /** Production bounds: 120 s to the guest's hello (software emulation boots in seconds, a busy host in more). */
    public static RunRequest of(SourceFile config, SourceFile plan, Path imageDir, Path runDir) {
        return new RunRequest(config, List.of(), plan, imageDir, runDir, Optional.empty(), Optional.empty(), Map.of(),
                List.of(), Map.of(), Optional.empty(), Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(30), 2, GuestLog.DEFAULT_MAX_BYTES,
                HostKey.defaultPath());
    }

    public RunRequest withGuest(Path initrd, Optional<Path> capabilitiesImage) {
        return new RunRequest(config, loads, plan, imageDir, runDir, Optional.of(initrd), capabilitiesImage, resolve,
                allowRanges, originPorts, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, maxAttempts, guestLogMaxBytes, chainKey);
    }

    public RunRequest withEgressOverrides(Map<String, List<InetAddress>> names, List<String> ranges) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, names, ranges,
                originPorts, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, maxAttempts, guestLogMaxBytes, chainKey);
    }

    /** See {@link RunRequest}: {@code ports} maps a decision's port to the loopback port dialed instead. */
    public RunRequest withOriginPorts(Map<Integer, Integer> ports) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                ports, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, maxAttempts, guestLogMaxBytes, chainKey);
    }

    /**
     * See {@link RunRequest}: {@code caPem} replaces the config's {@code :upstream_ca} in the agent's egress ACL, the
     * CA the intercepting proxy verifies origins with (the demo's loopback origin has a per-work-dir test CA).
     */
    public RunRequest withUpstreamCa(Path caPem) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                originPorts, Optional.of(caPem.toAbsolutePath()), helloTimeout, stepTimeout, shutdownTimeout, maxAttempts,
                guestLogMaxBytes, chainKey);
    }

    public RunRequest withTimeouts(Duration hello, Duration step, Duration shutdown) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                originPorts, upstreamCa, hello, step, shutdown, maxAttempts, guestLogMaxBytes, chainKey);
    }

    public RunRequest withMaxAttempts(int attempts) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                originPorts, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, attempts, guestLogMaxBytes, chainKey);
    }

    /** Bound of one guest log file (it rotates once past it; see {@link GuestLog}). */
    public RunRequest withGuestLogMaxBytes(long bytes) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                originPorts, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, maxAttempts, bytes, chainKey);
    }

    /** The host key that signs the chain's head (see {@link HostKey}; created on first use). */
    public RunRequest withChainKey(Path key) {
        return new RunRequest(config, loads, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                originPorts, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, maxAttempts, guestLogMaxBytes, key);
    }

    /** The {@code --load} files' text, evaluated before the config in this order. */
    public RunRequest withLoads(List<SourceFile> files) {
        return new RunRequest(config, files, plan, imageDir, runDir, initrd, capabilitiesImage, resolve, allowRanges,
                originPorts, upstreamCa, helloTimeout, stepTimeout, shutdownTimeout, maxAttempts, guestLogMaxBytes, chainKey);
    }
}
