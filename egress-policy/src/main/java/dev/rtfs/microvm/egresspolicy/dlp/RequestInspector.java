package dev.rtfs.microvm.egresspolicy.dlp;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The DLP decision for one plain-HTTP request: the request-line target (host and path/query), every header
 * (name and value, {@code Authorization}, {@code Proxy-Authorization} and {@code Cookie} included) and the body
 * (through its Content-Encoding), each as sent and through every encoding layer a {@link Sniff} finds plausible.
 * Strict blocks any finding. Lenient redacts a finding where it sits in the bytes as sent and blocks one it cannot
 * redact in place (inside a decoded layer, in the host or a header name). Either mode refuses what it cannot decode
 * within {@link DlpLimits}.
 */
public final class RequestInspector {

    static final String HOST_PLACE = "request-line host";
    static final String HEADER_NAME_PLACE = "header name";
    private static final int MAX_NAME_IN_PLACE = 64;

    private RequestInspector() {}

    public static DlpVerdict inspect(RequestParts request, DlpMode mode, DlpLimits limits) {
        return inspect(request, mode, limits, List.of());
    }

    /**
     * As {@link #inspect(RequestParts, DlpMode, DlpLimits)}, with the secrets the proxy holds for the agent
     * ({@code held}, at least 8 characters each): a request that carries one, as sent or under any layer the scan
     * undoes, is a {@link DlpVerdict.Block} with a {@code held-secret} finding in every mode, {@code off} included
     * (there only held secrets count, and a part the scan cannot decode passes as it would without DLP).
     */
    public static DlpVerdict inspect(RequestParts request, DlpMode mode, DlpLimits limits, List<String> held) {
        if (mode == DlpMode.OFF && held.isEmpty()) {
            return new DlpVerdict.Clean();
        }
        DeepScan scan = new DeepScan(limits, held);
        scan.part(request.host(), HOST_PLACE, List.of());
        DlpScanner.Result target = scan.part(request.pathAndQuery(), "request-line", List.of());
        String decodedTarget = DlpScanner.percentDecode(request.pathAndQuery());
        if (!decodedTarget.equals(request.pathAndQuery()) && scan.charge(decodedTarget.length(), "the request line")) {
            // A target is percent-encoded by definition: read once decoded, as a body through its Content-Encoding.
            scan.part(decodedTarget, "request-line", List.of(EncodingLayer.PERCENT));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
        List<String> codings = new ArrayList<>();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey();
            int before = scan.findingCount();
            scan.part(name, HEADER_NAME_PLACE, List.of());
            // A finding in the name keeps the name out of the record: the record never carries the secret.
            String place = scan.findingCount() > before ? HEADER_NAME_PLACE : "header " + nameForRecord(name);
            DlpScanner.Result value = scan.part(h.getValue(), place, List.of());
            headers.add(Map.entry(name, value.redacted()));
            if (name.equalsIgnoreCase("content-encoding")) {
                for (String c : h.getValue().split(",")) {
                    String coding = c.trim().toLowerCase(Locale.ROOT);
                    if (!coding.isEmpty() && !coding.equals("identity")) {
                        codings.add(coding);
                    }
                }
            }
        }
        Optional<byte[]> redactedBody = Optional.empty();
        if (request.body().length > 0 && !codings.isEmpty()) {
            Optional<String> why = scanEncodedBody(scan, request.body(), codings, limits);
            if (why.isPresent()) {
                scan.fail(why.get());
            }
        } else if (request.body().length > 0) {
            DlpScanner.Result body = scan.part(new String(request.body(), StandardCharsets.ISO_8859_1), "body", List.of());
            if (!body.clean()) {
                redactedBody = Optional.of(body.redacted().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        List<DlpFinding> findings = scan.findings();
        if (mode == DlpMode.OFF) {
            List<DlpFinding> leaks = findings.stream().filter(DlpFinding::heldSecret).toList();
            return leaks.isEmpty() ? new DlpVerdict.Clean() : new DlpVerdict.Block(leaks);
        }
        if (findings.isEmpty()) {
            return scan.problem().<DlpVerdict>map(DlpVerdict.Unscannable::new).orElse(new DlpVerdict.Clean());
        }
        if (mode == DlpMode.STRICT || scan.problem().isPresent()
                || findings.stream().anyMatch(f -> !f.redactableInPlace())) {
            return new DlpVerdict.Block(findings);
        }
        return new DlpVerdict.Redact(target.redacted(), headers, redactedBody, findings);
    }

    /**
     * Undoes the body's content codings (last applied first) within the limits and scans the result; the reason
     * when it cannot. No Brotli decoder is among the dependencies that resolve here, so {@code br} is undecodable.
     */
    private static Optional<String> scanEncodedBody(DeepScan scan, byte[] body, List<String> codings, DlpLimits limits) {
        if (codings.size() > limits.maxDepth()) {
            return Optional.of("body has " + codings.size() + " content codings; at most " + limits.maxDepth() + " are decoded");
        }
        byte[] bytes = body;
        List<EncodingLayer> layers = new ArrayList<>();
        for (int i = codings.size() - 1; i >= 0; i--) {
            String coding = codings.get(i);
            EncodingLayer layer = switch (coding) {
                case "gzip", "x-gzip" -> EncodingLayer.GZIP;
                case "deflate" -> EncodingLayer.DEFLATE;
                default -> null;
            };
            if (layer == null) {
                return Optional.of("body is " + printable(coding) + "-encoded, which the DLP cannot decode"
                        + (coding.equals("br") ? " (no Brotli decoder available)" : ""));
            }
            Inflation.Result r = Inflation.inflate(bytes, 0, layer, scan.budgetLeft(), limits);
            if (r instanceof Inflation.Refused no) {
                return Optional.of("body " + no.why());
            }
            bytes = ((Inflation.Inflated) r).bytes();
            if (!scan.charge(bytes.length, "body " + coding)) {
                return Optional.empty(); // the scan holds the reason
            }
            layers.add(layer);
        }
        scan.part(new String(bytes, StandardCharsets.ISO_8859_1), "body", layers);
        return Optional.empty();
    }

    private static String nameForRecord(String name) {
        String n = printable(name);
        return n.length() <= MAX_NAME_IN_PLACE ? n : n.substring(0, MAX_NAME_IN_PLACE) + "...";
    }

    /** Header names and codings are guest text: only visible ASCII goes into a record. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c > ' ' && c < 127 ? c : '?');
        }
        return b.toString();
    }
}
