package dev.rtfs.microvm.egresspolicy.dlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DLP rules over a text and over every decoded view of it that a {@link Sniff} finds plausible, layer under
 * layer up to {@link DlpLimits#maxDepth()}, all views of one request sharing one decoded-bytes budget. One per
 * request; not thread-safe.
 */
final class DeepScan {

    /** Embedded compressed blobs tried per text: each failed try costs a little inflation. */
    private static final int MAX_EMBEDDED_TRIES = 16;

    /** The rule name of a match of a secret the proxy holds for the agent. */
    static final String HELD_SECRET = "held-secret";

    private final DlpLimits limits;
    /** Secrets the proxy holds for the agent (injected headers): matched exactly in every view. */
    private final List<String> held;
    private final Set<DlpFinding> findings = new LinkedHashSet<>();
    /**
     * Base64 runs already decoded for this request, with the shallowest depth they were decoded at: a view that
     * only unescaped around a run has it again, and decoding it again no shallower finds nothing new.
     */
    private final Map<String, Integer> seenRuns = new HashMap<>();
    private long decodedBytes;
    private String problem;

    DeepScan(DlpLimits limits) {
        this(limits, List.of());
    }

    DeepScan(DlpLimits limits, List<String> held) {
        this.limits = limits;
        this.held = List.copyOf(held);
    }

    List<DlpFinding> findings() {
        return List.copyOf(findings);
    }

    int findingCount() {
        return findings.size();
    }

    /** Why part of the request could not be decoded within the limits; empty when everything was. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    long budgetLeft() {
        return limits.maxDecodedBytes() - decodedBytes;
    }

    /**
     * Scans one part, already decoded through the layers the request declares ({@code declared}: its
     * Content-Encoding, the request line's own percent-encoding); those are bounded elsewhere and do not count
     * against the depth of the layers sniffed below. The plain result is what lenient may redact.
     */
    DlpScanner.Result part(String text, String place, List<EncodingLayer> declared) {
        DlpScanner.Result plain = rules(text);
        note(plain, place, declared);
        // The redacted text: a match the plain scan found is not found again in every view under it.
        layers(plain.redacted(), place, declared, 0);
        return plain;
    }

    /** Bytes produced outside the text decoders (Content-Encoding) count against the same budget. */
    boolean charge(long bytes, String what) {
        if (problem != null) {
            return false;
        }
        if (bytes > budgetLeft()) {
            problem = what + " exceeds the decoding budget of " + limits.maxDecodedBytes() + " bytes";
            return false;
        }
        decodedBytes += bytes;
        return true;
    }

    void fail(String why) {
        if (problem == null) {
            problem = why;
        }
    }

    private void layers(String text, String place, List<EncodingLayer> outer, int depth) {
        if (depth >= limits.maxDepth()) {
            return;
        }
        Sniff s = Sniff.of(text);
        if (!s.any()) {
            return;
        }
        if (s.percentEscape()) {
            view(DlpScanner.percentDecode(text), place, outer, depth, EncodingLayer.PERCENT, true);
        } else if (s.plus()) {
            // '+' alone is a form's space, but also base64's 62nd symbol: looked at, not decoded further.
            view(DlpScanner.percentDecode(text), place, outer, depth, EncodingLayer.PERCENT, false);
        }
        if (s.backslashEscape()) {
            view(TextLayers.jsonUnescape(text), place, outer, depth, EncodingLayer.JSON_ESCAPE, true);
        }
        if (s.quotedPrintable()) {
            view(TextLayers.quotedPrintableDecode(text), place, outer, depth, EncodingLayer.QUOTED_PRINTABLE, true);
        }
        if (s.multiByte()) {
            String visible = TextLayers.stripInvisible(text);
            if (visible.length() != text.length()) {
                view(visible, place, outer, depth, EncodingLayer.INVISIBLE, true);
            }
        }
        if (s.base64Run()) {
            // Four readings: aligned, and misaligned by a 1-3 symbol prefix an agent put before the run.
            List<TextLayers.RunBounds> bounds = unseen(text, TextLayers.base64RunBounds(text), depth);
            for (int skip = 0; skip < 4; skip++) {
                runs(TextLayers.base64Runs(text, bounds, skip), skip == 0, place, outer, depth);
            }
        }
        if (s.hexRun()) {
            for (int skip = 0; skip < 2; skip++) {
                runs(TextLayers.hexRuns(text, skip), skip == 0, place, outer, depth);
            }
        }
        if (s.compressedMagic()) {
            embedded(text, place, outer, depth);
        }
    }

    /**
     * Decoded runs: text-like ones are followed down; binary ones are matched when aligned (a secret among binary
     * bytes) and, aligned or not, searched for a compressed blob. A misaligned reading of honest data is binary
     * noise, so it costs a decode and one pass, not a scan.
     */
    private void runs(TextLayers.Runs runs, boolean aligned, String place, List<EncodingLayer> outer, int depth) {
        if (runs == null) {
            return;
        }
        if (!runs.text().isEmpty()) {
            view(runs.text(), place, outer, depth, runs.layer(), true);
        }
        if (runs.binary().isEmpty() || !charge(runs.binary().length(), "decoding " + runs.layer().label())) {
            return;
        }
        List<EncodingLayer> path = with(outer, runs.layer());
        if (aligned) {
            note(rules(runs.binary()), place, path);
        }
        if (depth + 1 < limits.maxDepth() && Sniff.compressedMagic(runs.binary())) {
            embedded(runs.binary(), place, path, depth + 1);
        }
    }

    private List<TextLayers.RunBounds> unseen(String text, List<TextLayers.RunBounds> bounds, int depth) {
        List<TextLayers.RunBounds> fresh = new ArrayList<>(bounds.size());
        for (TextLayers.RunBounds b : bounds) {
            Integer before = seenRuns.putIfAbsent(text.substring(b.start(), b.end()), depth);
            if (before == null || before > depth) {
                seenRuns.put(text.substring(b.start(), b.end()), depth);
                fresh.add(b);
            }
        }
        return fresh;
    }

    private void view(String text, String place, List<EncodingLayer> outer, int depth, EncodingLayer layer,
            boolean deeper) {
        if (!charge(text.length(), "decoding " + layer.label())) {
            return;
        }
        List<EncodingLayer> path = with(outer, layer);
        DlpScanner.Result r = rules(text);
        note(r, place, path);
        if (deeper) {
            layers(r.redacted(), place, path, depth + 1);
        } else if (depth + 1 < limits.maxDepth() && Sniff.compressedMagic(r.redacted())) {
            // A misaligned reading is not followed down, except into a compressed blob (prefix + base64-of-gzip).
            embedded(r.redacted(), place, path, depth + 1);
        }
    }

    /** A gzip member or zlib stream inside a text (say, the bytes of a base64 run): inflated, bounded, scanned. */
    private void embedded(String text, String place, List<EncodingLayer> outer, int depth) {
        byte[] bytes = null;
        int tries = 0;
        for (int i = 0; i + 1 < text.length() && tries < MAX_EMBEDDED_TRIES && problem == null; i++) {
            char c = text.charAt(i);
            char d = text.charAt(i + 1);
            EncodingLayer layer = c == 0x1f && d == 0x8b ? EncodingLayer.GZIP
                    : TextLayers.zlibHeader(c, d) ? EncodingLayer.DEFLATE : null;
            if (layer == null) {
                continue;
            }
            tries++;
            if (bytes == null) {
                bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            }
            Inflation.Result r = Inflation.inflate(bytes, i, layer, budgetLeft(), limits);
            switch (r) {
                case Inflation.Inflated in -> {
                    if (charge(in.bytes().length, layer.label())) {
                        String inflated = new String(in.bytes(), StandardCharsets.ISO_8859_1);
                        List<EncodingLayer> path = with(outer, layer);
                        DlpScanner.Result found = rules(inflated);
                        note(found, place, path);
                        layers(found.redacted(), place, path, depth + 1);
                    }
                }
                // Magic bytes by chance are no gzip: only a stream that really inflates too far is a problem.
                case Inflation.Refused no when no.why().startsWith("not valid") -> { }
                case Inflation.Refused no -> fail(place + " " + no.why());
            }
        }
    }

    /**
     * The held secrets first, then the built-in rules over what is left: a held secret that also looks like a key
     * is reported as held (refused in every mode), not as the key rule lenient could redact.
     */
    private DlpScanner.Result rules(String text) {
        if (held.isEmpty()) {
            return DlpScanner.scan(text);
        }
        String rest = text;
        boolean found = false;
        for (String secret : held) {
            if (rest.contains(secret)) {
                found = true;
                rest = rest.replace(secret, "[REDACTED:" + HELD_SECRET + "]");
            }
        }
        DlpScanner.Result r = DlpScanner.scan(rest);
        if (!found) {
            return r;
        }
        Set<String> kinds = new LinkedHashSet<>();
        kinds.add(HELD_SECRET);
        kinds.addAll(r.kinds());
        return new DlpScanner.Result(kinds, r.redacted());
    }

    private void note(DlpScanner.Result r, String place, List<EncodingLayer> path) {
        for (String kind : r.kinds()) {
            findings.add(new DlpFinding(kind, place, path));
        }
    }

    private static List<EncodingLayer> with(List<EncodingLayer> outer, EncodingLayer layer) {
        List<EncodingLayer> path = new ArrayList<>(outer.size() + 1);
        path.addAll(outer);
        path.add(layer);
        return path;
    }
}
