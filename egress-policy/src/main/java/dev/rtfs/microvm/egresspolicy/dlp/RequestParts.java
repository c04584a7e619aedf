package dev.rtfs.microvm.egresspolicy.dlp;

import java.util.List;
import java.util.Map;

/**
 * The scannable parts of one plain-HTTP request.
 *
 * @param host         the target host as sent
 * @param pathAndQuery the request-line target without scheme and authority
 * @param headers      every header in order (names and values as sent, ISO-8859-1)
 * @param body         the whole body as sent (still content-encoded)
 */
public record RequestParts(String host, String pathAndQuery, List<Map.Entry<String, String>> headers, byte[] body) {
    public RequestParts {
        headers = List.copyOf(headers);
    }
}
