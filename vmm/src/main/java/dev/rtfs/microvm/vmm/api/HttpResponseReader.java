package dev.rtfs.microvm.vmm.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response (status line, headers, Content-Length body) with hard limits, so a broken or
 * hostile API socket cannot make the supervisor allocate without bound or hang on a malformed frame.
 * Every malformed input is a {@link MalformedResponse}, never another exception.
 */
final class HttpResponseReader {

    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The response violates HTTP/1.1 or our limits. */
    public static final class MalformedResponse extends IOException {
        public MalformedResponse(String message) {
            super(message);
        }
    }

    private HttpResponseReader() {}

    public static ApiResponse read(InputStream in) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n", -1);
        String status = lines[0];
        if (!status.matches("HTTP/1\\.[01] [1-5][0-9]{2}( .*)?")) {
            throw new MalformedResponse("bad status line: '" + printable(status) + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedResponse("bad header line: '" + printable(line) + "'");
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                if (!value.matches("[0-9]{1,10}")) throw new MalformedResponse("bad Content-Length: '" + printable(value) + "'");
                long parsed = Long.parseLong(value);
                if (length >= 0 && length != parsed) throw new MalformedResponse("conflicting Content-Length headers");
                length = parsed;
            } else if (name.equals("transfer-encoding")) {
                throw new MalformedResponse("Transfer-Encoding is not used by hypervisor APIs");
            }
        }
        if (length < 0) {
            if (code == 204 || code == 304 || code < 200) return new ApiResponse(code, "");
            throw new MalformedResponse("response " + code + " without Content-Length");
        }
        if (length > MAX_BODY_BYTES) throw new MalformedResponse("body of " + length + " bytes exceeds " + MAX_BODY_BYTES);
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) throw new MalformedResponse("body ended after " + body.length + " of " + length + " bytes");
        return new ApiResponse(code, new String(body, StandardCharsets.UTF_8));
    }

    /** Bytes up to and including CRLF CRLF, as ISO-8859-1 (header bytes are octets). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new MalformedResponse(head.size() == 0 ? "connection closed without a response" : "response head truncated");
            }
            head.write(b);
            if (head.size() > MAX_HEADER_BYTES) throw new MalformedResponse("response head exceeds " + MAX_HEADER_BYTES + " bytes");
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.length() > 80 ? s.substring(0, 80).toCharArray() : s.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return b.toString();
    }
}
