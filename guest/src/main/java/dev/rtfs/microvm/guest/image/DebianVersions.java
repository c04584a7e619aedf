package dev.rtfs.microvm.guest.image;

import java.util.Comparator;

/**
 * dpkg's version order ({@code verrevcmp} in dpkg's lib/dpkg/version.c), so "the newest kernel" means what apt
 * means by it: digit runs compare as numbers (6.1.0-57 is newer than 6.1.0-9, 6.10 than 6.9), and in non-digit
 * runs '~' sorts before everything, even the end of the string (1.0~rc1 is older than 1.0), letters sort before
 * other characters.
 */
final class DebianVersions {

    /** Oldest first. */
    public static final Comparator<String> ORDER = DebianVersions::compare;

    private DebianVersions() {}

    /** Negative, zero or positive as {@code a} is older than, the same as or newer than {@code b}. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !digit(a.charAt(i))) || (j < b.length() && !digit(b.charAt(j)))) {
                int ac = order(at(a, i));
                int bc = order(at(b, j));
                if (ac != bc) return Integer.signum(ac - bc);
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') i++;
            while (j < b.length() && b.charAt(j) == '0') j++;
            while (i < a.length() && j < b.length() && digit(a.charAt(i)) && digit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < a.length() && digit(a.charAt(i))) return 1;
            if (j < b.length() && digit(b.charAt(j))) return -1;
            if (firstDiff != 0) return Integer.signum(firstDiff);
        }
        return 0;
    }

    /** The end of the string reads as 0, as C's NUL terminator does in dpkg. */
    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** dpkg's weight of one character in a non-digit run: '~' lowest, end of string 0, letters, then the rest. */
    private static int order(char c) {
        if (digit(c)) return 0;
        if (letter(c)) return c;
        if (c == '~') return -1;
        if (c != 0) return c + 256;
        return 0;
    }
}
