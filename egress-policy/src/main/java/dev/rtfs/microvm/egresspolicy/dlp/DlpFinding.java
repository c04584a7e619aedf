package dev.rtfs.microvm.egresspolicy.dlp;

import java.util.List;

/**
 * One rule matched at one place of a request, under the encoding layers that were undone to see it (outermost
 * first). Names the rule and where, never the matched text: it goes into decision records.
 *
 * @param rule   the DLP rule, e.g. {@code aws-access-key}
 * @param place  {@code request-line}, {@code request-line host}, {@code header <Name>}, {@code header name} or
 *               {@code body}
 * @param layers empty for a match in the bytes as sent (redactable in place)
 */
record DlpFinding(String rule, String place, List<EncodingLayer> layers) {

    public DlpFinding {
        layers = List.copyOf(layers);
    }

    /**
     * Lenient DLP can replace a match only where it sits in the bytes as sent, and never a secret the proxy holds
     * (the guest has it, so it is refused as exfiltration in every mode).
     */
    public boolean redactableInPlace() {
        return !heldSecret() && layers.isEmpty() && !place.equals(RequestInspector.HOST_PLACE)
                && !place.equals(RequestInspector.HEADER_NAME_PLACE);
    }

    public boolean heldSecret() {
        return rule.equals(DeepScan.HELD_SECRET);
    }

    /** {@code aws-access-key via header Authorization / base64}. */
    public String describe() {
        StringBuilder b = new StringBuilder(rule).append(" via ").append(place);
        layers.forEach(l -> b.append(" / ").append(l.label()));
        return b.toString();
    }

    static String describe(List<DlpFinding> findings) {
        return String.join("; ", findings.stream().map(DlpFinding::describe).toList());
    }
}
