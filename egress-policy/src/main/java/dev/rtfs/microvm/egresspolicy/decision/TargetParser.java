package dev.rtfs.microvm.egresspolicy.decision;

import java.util.Locale;

/**
 * Splits a proxy request-target into host and port without a general URI parser, so that ambiguous forms are
 * refused instead of interpreted: userinfo ({@code http://allowed.com@evil.com/}), fragments
 * ({@code http://evil.com#@allowed.com/}), backslashes, and anything but absolute {@code http://} form.
 */
public final class TargetParser {

    /** Result of parsing: either a target or a refusal. */
    public sealed interface Result {}

    /** {@code pathAndQuery} is the origin-form to send upstream. */
    public record Parsed(String rawHost, int port, String pathAndQuery) implements Result {}

    public record Rejected(Reason reason, String detail) implements Result {}

    private TargetParser() {}

    /** An absolute-form target of a plain HTTP proxy request. */
    public static Result absolute(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#') {
                return new Rejected(Reason.BAD_REQUEST, "request target contains a forbidden character");
            }
        }
        if (!uri.toLowerCase(Locale.ROOT).startsWith("http://")) {
            return new Rejected(Reason.BAD_REQUEST, uri.startsWith("/")
                    ? "origin-form target; a proxy request needs an absolute http:// URI"
                    : "only http:// absolute URIs are proxied (use CONNECT for TLS)");
        }
        String rest = uri.substring(7);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        String authority = rest.substring(0, end);
        String path = end < rest.length() ? rest.substring(end) : "/";
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        if (authority.indexOf('@') >= 0) {
            return new Rejected(Reason.USERINFO, "userinfo in the request target");
        }
        Result hp = hostPort(authority, 80);
        if (hp instanceof Parsed p) {
            return new Parsed(p.rawHost(), p.port(), path);
        }
        return hp;
    }

    /** The authority-form target of CONNECT; the port is mandatory. */
    public static Result connect(String authority) {
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@' || c == '\\' || c == '#' || c == '?') {
                return new Rejected(Reason.BAD_REQUEST, "CONNECT target must be host:port");
            }
        }
        return hostPort(authority, -1);
    }

    private static Result hostPort(String authority, int defaultPort) {
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return new Rejected(Reason.BAD_REQUEST, "unterminated IPv6 literal");
            }
            host = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                return new Rejected(Reason.BAD_REQUEST, "garbage after IPv6 literal");
            }
            port = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(':') != colon) {
                // A bare IPv6 literal without brackets: still an IP literal, let the engine refuse it.
                return new Parsed(authority, defaultPort < 0 ? 443 : defaultPort, "/");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            return new Rejected(Reason.BAD_REQUEST, "empty host");
        }
        int p;
        if (port == null || port.isEmpty()) {
            if (defaultPort < 0) {
                return new Rejected(Reason.BAD_REQUEST, "CONNECT target needs a port");
            }
            p = defaultPort;
        } else {
            if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new Rejected(Reason.BAD_REQUEST, "port \"" + port + "\" is not a number");
            }
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                return new Rejected(Reason.BAD_REQUEST, "port " + p + " out of range");
            }
        }
        return new Parsed(host, p, "/");
    }
}
