package dev.rtfs.microvm.lang;

/**
 * User- or guest-written text (keys, step names, file content) made safe for a terminal or a log line: control
 * and format characters become {@code \\uXXXX}, so input can neither forge lines nor send escape sequences.
 * (control-plane has its own twin, GuestText, because it depends on nothing of ours.)
 */
public final class PrintableText {
    private PrintableText() {}

    public static String of(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
