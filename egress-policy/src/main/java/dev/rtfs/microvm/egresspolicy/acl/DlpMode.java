package dev.rtfs.microvm.egresspolicy.acl;

/** DLP strength, ordered from weakest to strongest so the stricter of two is {@code max}. */
public enum DlpMode {
    OFF,
    LENIENT,
    STRICT;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DlpMode fromJson(String s) {
        return switch (s) {
            case "off" -> OFF;
            case "lenient" -> LENIENT;
            case "strict" -> STRICT;
            default -> throw new IllegalArgumentException("dlp must be \"strict\", \"lenient\" or \"off\", not \"" + s + "\"");
        };
    }

    public static DlpMode stricter(DlpMode a, DlpMode b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
