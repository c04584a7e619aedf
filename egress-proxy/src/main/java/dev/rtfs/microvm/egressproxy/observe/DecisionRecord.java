package dev.rtfs.microvm.egressproxy.observe;

import java.time.Instant;
import java.util.Optional;

/**
 * One record per proxied request or tunnel (docs/control-api.md, decision records): who asked (agent, step), what (method or CONNECT, host,
 * port, the pinned address), the verdict (outcome ALLOW/DENY/REPORT, reason code, HTTP status) and what it cost
 * (bytes from the client upstream, bytes back to the client, duration).
 */
public record DecisionRecord(
        Instant at,
        String agentId,
        Optional<String> step,
        String method,
        String host,
        int port,
        Optional<String> address,
        String outcome,
        String reason,
        int status,
        String detail,
        long bytesIn,
        long bytesOut,
        long durationMillis) {

    /** A single {@code key=value} line for logs. */
    public String toLogLine() {
        return "egress agent=" + agentId + " step=" + step.orElse("-") + " method=" + method + " host=" + host
                + " port=" + port + " address=" + address.orElse("-") + " decision=" + outcome + " reason=" + reason
                + " status=" + status + " bytes_in=" + bytesIn + " bytes_out=" + bytesOut + " duration_ms="
                + durationMillis + (detail.isEmpty() ? "" : " detail=\"" + escaped(detail) + "\"");
    }

    /**
     * The detail quotes guest-chosen text (an SNI, a parser message): no line break or quote may forge a record, and
     * no C1 control, bidi override or line separator may reorder or hide what a terminal shows.
     */
    static String escaped(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                sb.append(String.format("\\x%02x", (int) c));
            } else if ((c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
                    || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c == '"' ? '\'' : c);
            }
        }
        return sb.toString();
    }
}
