package dev.rtfs.microvm.egresspolicy.dlp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Built-in DLP patterns (egress-proxy/README.md, "DLP") over plaintext request data: cloud keys (AWS access key ids, Google API
 * keys, GitHub and Slack tokens), PEM private key blocks, bearer tokens, card numbers that pass Luhn, and email
 * addresses. Text is handled as ISO-8859-1 so every byte survives redaction unchanged except the matches.
 */
public final class DlpScanner {

    /**
     * {@code mayMatch} is a necessary condition of {@code pattern} (a literal it cannot match without, or enough
     * digits), checked first: most requests carry no candidate at all, and a regex matcher per rule per request
     * was a third of the proxy's allocation.
     */
    private record Rule(String kind, Predicate<String> mayMatch, Pattern pattern, boolean luhn) {}

    private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "ABIA", "ACCA", "A3T"};
    private static final String[] GITHUB_PREFIXES = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};

    private static final List<Rule> RULES = List.of(
            new Rule("private-key", t -> t.contains("PRIVATE KEY-----"), Pattern.compile(
                    "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\\z)"), false),
            new Rule("aws-access-key", t -> containsAny(t, AWS_PREFIXES),
                    Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])"), false),
            new Rule("google-api-key", t -> t.contains("AIza"),
                    Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"), false),
            new Rule("github-token", t -> containsAny(t, GITHUB_PREFIXES),
                    Pattern.compile("(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])"), false),
            new Rule("slack-token", t -> t.contains("xox"),
                    Pattern.compile("(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{10,}"), false),
            // (?i) without UNICODE_CASE folds ASCII only; regionMatches folds at least that much.
            new Rule("bearer-token", t -> containsAsciiIgnoreCase(t, "bearer"),
                    Pattern.compile("(?i)(?<![A-Za-z0-9])bearer\\s+[A-Za-z0-9._~+/-]{16,}=*"), false),
            // Not inside a run of letters and digits: hex ids and hashes are full of 13-digit stretches.
            new Rule("card-number", t -> digitStretch(t, 13),
                    Pattern.compile("(?<![0-9A-Za-z])(?:[0-9][ -]?){12,18}[0-9](?![0-9A-Za-z])"), true),
            new Rule("email", t -> t.indexOf('@') >= 0, Pattern.compile(
                    "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}(?![A-Za-z])"), false));

    private DlpScanner() {}

    /** What a scan found and the text with every finding replaced by {@code [REDACTED:kind]}. */
    public record Result(Set<String> kinds, String redacted) {
        public boolean clean() {
            return kinds.isEmpty();
        }
    }

    public static Result scan(String text) {
        return scan(text, true);
    }

    /** {@code prefilter} false runs every regex: the reference the pre-checks are tested against. */
    static Result scan(String text, boolean prefilter) {
        Set<String> kinds = new LinkedHashSet<>();
        String current = text;
        for (Rule rule : RULES) {
            if (prefilter && !rule.mayMatch().test(current)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(current);
            StringBuilder out = null;
            int last = 0;
            while (m.find()) {
                if (rule.luhn() && !luhnValid(m.group())) {
                    continue;
                }
                kinds.add(rule.kind());
                if (out == null) {
                    out = new StringBuilder(current.length());
                }
                out.append(current, last, m.start()).append("[REDACTED:").append(rule.kind()).append(']');
                last = m.end();
            }
            if (out != null) {
                out.append(current, last, current.length());
                current = out.toString();
            }
        }
        return new Result(kinds, current);
    }

    /**
     * Kinds that show only in the percent-decoded view of {@code text} ({@code %20}, {@code +} for a space, as in
     * form bodies and query strings), so an encoded secret cannot pass a scan of the raw bytes. Give it text that
     * {@link #scan} already redacted; empty when decoding changes nothing or reveals nothing.
     */
    public static Set<String> encodedKinds(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return Set.of();
        }
        String decoded = percentDecode(text);
        return decoded.equals(text) ? Set.of() : scan(decoded).kinds();
    }

    /** One round of URL decoding, byte-wise (ISO-8859-1); malformed escapes stay as they are. */
    static String percentDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
            } else if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.append((char) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16)));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean containsAny(String text, String[] needles) {
        for (String n : needles) {
            if (text.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAsciiIgnoreCase(String text, String lowerNeedle) {
        // First letter by a compare (ASCII letters differ from their upper case by bit 0x20), the rest by
        // regionMatches: a regionMatches at every offset was the most expensive pre-check.
        char first = lowerNeedle.charAt(0);
        for (int i = 0; i + lowerNeedle.length() <= text.length(); i++) {
            if ((text.charAt(i) | 0x20) == first && text.regionMatches(true, i, lowerNeedle, 0, lowerNeedle.length())) {
                return true;
            }
        }
        return false;
    }

    /** {@code need} digits in a row, each pair at most one space or dash apart: what the card pattern needs. */
    private static boolean digitStretch(String text, int need) {
        int count = 0;
        boolean afterSeparator = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++count >= need) {
                    return true;
                }
                afterSeparator = false;
            } else if ((c == ' ' || c == '-') && count > 0 && !afterSeparator) {
                afterSeparator = true;
            } else {
                count = 0;
                afterSeparator = false;
            }
        }
        return false;
    }

    /** Luhn check over the digits of {@code s}, ignoring separators; 13 to 19 digits. */
    public static boolean luhnValid(String s) {
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.add(c - '0');
            }
        }
        if (digits.size() < 13 || digits.size() > 19) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.size() - 1; i >= 0; i--) {
            int d = digits.get(i);
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
