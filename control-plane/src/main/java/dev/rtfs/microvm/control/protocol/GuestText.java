package dev.rtfs.microvm.control.protocol;

/**
 * Text a guest chose (a message type, a field name, a step), made safe for a log line or a terminal: control and
 * format characters become {@code \\uXXXX} escapes, so a guest can neither forge lines nor send escape sequences.
 */
public final class GuestText {

    private GuestText() {}

    public static String printable(String s) {
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

    /** {@link #printable}, cut to at most {@code max} characters (plus "…"). */
    public static String abbreviated(String s, int max) {
        String p = printable(s);
        if (p.length() <= max) return p;
        int end = Character.isHighSurrogate(p.charAt(max - 1)) ? max - 1 : max;
        return p.substring(0, end) + "…";
    }
}
