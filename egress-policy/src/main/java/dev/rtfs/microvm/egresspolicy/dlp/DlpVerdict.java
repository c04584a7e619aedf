package dev.rtfs.microvm.egresspolicy.dlp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the DLP decided about one request. */
public sealed interface DlpVerdict {

    /** Nothing found: forward as sent. */
    record Clean() implements DlpVerdict {}

    /** Lenient: every finding sat in the bytes as sent; forward these replacements instead. */
    record Redact(String pathAndQuery, List<Map.Entry<String, String>> headers, Optional<byte[]> body,
            List<DlpFinding> findings) implements DlpVerdict {
        public String describe() {
            return DlpFinding.describe(findings);
        }
    }

    /** Findings that must not leave: every finding in strict, one inside an encoding layer in lenient. */
    record Block(List<DlpFinding> findings) implements DlpVerdict {
        public String describe() {
            return DlpFinding.describe(findings);
        }

        /** A secret the proxy holds for the agent is among the findings: exfiltration, refused in every mode. */
        public boolean heldSecret() {
            return findings.stream().anyMatch(DlpFinding::heldSecret);
        }
    }

    /** The request could not be decoded within the bounds (bomb, budget, unknown or broken Content-Encoding). */
    record Unscannable(String why) implements DlpVerdict {}
}
