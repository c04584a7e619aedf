package dev.rtfs.microvm.egresspolicy.decision;

import java.util.List;

/**
 * Where a request wants to go: {@code CONNECT host:port} or a plain HTTP request with its method.
 * {@code methodOverrides} are the values of the request's method-override headers ({@link MethodOverride}): an
 * origin may act on them instead of the request line's method, so each must pass {@code allow_methods} too.
 */
public record RequestTarget(Kind kind, String method, String rawHost, int port, List<String> methodOverrides) {

    public enum Kind {
        HTTP,
        CONNECT
    }

    public RequestTarget {
        methodOverrides = List.copyOf(methodOverrides);
    }

    public static RequestTarget http(String method, String rawHost, int port) {
        return new RequestTarget(Kind.HTTP, method, rawHost, port, List.of());
    }

    /** A plain HTTP request that carries method-override header values. */
    public static RequestTarget http(String method, String rawHost, int port, List<String> methodOverrides) {
        return new RequestTarget(Kind.HTTP, method, rawHost, port, methodOverrides);
    }

    public static RequestTarget connect(String rawHost, int port) {
        return new RequestTarget(Kind.CONNECT, "CONNECT", rawHost, port, List.of());
    }
}
