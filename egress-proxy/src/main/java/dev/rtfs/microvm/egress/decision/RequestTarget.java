package dev.rtfs.microvm.egress.decision;

/** Where a request wants to go: {@code CONNECT host:port} or a plain HTTP request with its method. */
public record RequestTarget(Kind kind, String method, String rawHost, int port) {

    public enum Kind {
        HTTP,
        CONNECT
    }

    public static RequestTarget http(String method, String rawHost, int port) {
        return new RequestTarget(Kind.HTTP, method, rawHost, port);
    }

    public static RequestTarget connect(String rawHost, int port) {
        return new RequestTarget(Kind.CONNECT, "CONNECT", rawHost, port);
    }
}
