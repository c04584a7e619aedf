package dev.rtfs.microvm.vmm;

import java.util.Base64;
import java.util.List;

/**
 * The config's TLS pins the guest enforces: {@code sha256/} + base64 of 32 bytes, exactly as the validator accepts
 * them. Anything else (the example's placeholder "sha256/...", which validation only warns about) is left out, so
 * an example config still runs; the warning tells the user it pins nothing.
 */
final class TlsPins {

    private static final String PREFIX = "sha256/";

    private TlsPins() {}

    /** The valid pins, in order, each once. */
    static List<String> valid(List<String> pins) {
        return pins.stream().filter(TlsPins::isValid).distinct().toList();
    }

    static boolean isValid(String pin) {
        if (!pin.startsWith(PREFIX)) return false;
        String b64 = pin.substring(PREFIX.length());
        // 44 characters of the standard alphabet: also keeps the kernel cmdline free of spaces and quotes.
        if (b64.length() != 44 || !b64.matches("[A-Za-z0-9+/]{43}=")) return false;
        try {
            return Base64.getDecoder().decode(b64).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
