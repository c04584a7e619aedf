package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.egressproxy.identity.JwksFile;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokens;
import dev.rtfs.microvm.egressproxy.tls.InterceptionCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The options of {@code proxy} for running as a cluster's node-local proxy: {@code --identity}, the token options,
 * {@code --ca-cert/--ca-key} and HOST:PORT addresses. A wrong combination or an unreadable file is a
 * {@link UsageException} (exit 2) saying which option.
 */
final class SharedListenerOptions {

    static final Duration ACL_DIR_POLL = Duration.ofSeconds(2);
    static final Duration JWKS_RECHECK = Duration.ofSeconds(2);

    private SharedListenerOptions() {}

    static boolean sharedMode(String identity) {
        if (identity == null || identity.equals("listener")) {
            return false;
        }
        if (identity.equals("service-account-token")) {
            return true;
        }
        throw new UsageException("--identity must be listener or service-account-token, not " + identity);
    }

    static ServiceAccountTokens tokens(String listen, String jwks, String audience, String issuer) {
        if (listen == null || jwks == null || audience == null) {
            throw new UsageException("--identity service-account-token needs --listen, --token-jwks and --token-audience");
        }
        try {
            return new ServiceAccountTokens(JwksFile.open(Path.of(jwks), Clock.systemUTC(), JWKS_RECHECK), audience,
                    Optional.ofNullable(issuer), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--token-jwks " + e.getMessage());
        }
    }

    static Optional<ServiceAccountTokens> refuseTokenOptions(String jwks, String audience, String issuer) {
        if (jwks != null || audience != null || issuer != null) {
            throw new UsageException("--token-jwks, --token-audience and --token-issuer need "
                    + "--identity service-account-token");
        }
        return Optional.empty();
    }

    static InterceptionCa givenCa(String cert, String key) {
        try {
            return InterceptionCa.fromPem(Path.of(cert), Path.of(key));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--ca-cert/--ca-key: " + e.getMessage());
        }
    }

    /** HOST:PORT (IPv6 in brackets), any address: a pod's listener faces the pod network. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("\"" + hostPort + "\" must be HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("\"" + hostPort + "\": the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("\"" + hostPort + "\": port out of range 0..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("\"" + hostPort + "\": unknown host " + host);
        }
    }
}
