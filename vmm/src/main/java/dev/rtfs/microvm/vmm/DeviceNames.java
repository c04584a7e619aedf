package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.vmm.attest.Sha256;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host-side names derived deterministically from the agent id, so a restarted VM gets the same tap and MAC
 * and two agents never share one.
 *
 * <p>Tap names: {@code "rtv"} + the first 12 base32 characters (60 bits) of sha256(agent id): always 15 bytes,
 * the Linux IFNAMSIZ limit. Two distinct ids collide with probability 2^-60; should that ever happen, the
 * supervisor refuses to start the second VM because the tap already exists (it never shares a tap).
 */
public final class DeviceNames {

    /** IFNAMSIZ is 16 including the terminating NUL. */
    public static final int MAX_TAP_NAME_BYTES = 15;

    /** Firecracker ids (drive_id, iface_id): {@code [A-Za-z0-9_]+}. */
    public static final Pattern FIRECRACKER_ID = Pattern.compile("[A-Za-z0-9_]+");

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private DeviceNames() {}

    public static String tapName(String agentId) {
        byte[] digest = Sha256.digest("tap:" + agentId);
        StringBuilder name = new StringBuilder("rtv");
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        for (int i = 0; i < 12; i++) {
            name.append(BASE32.charAt((int) ((bits >>> (59 - 5 * i)) & 31)));
        }
        return name.toString();
    }

    /**
     * A locally administered (bit 1 of the first octet set), unicast (bit 0 clear) MAC derived from the agent id.
     */
    public static String guestMac(String agentId) {
        byte[] digest = Sha256.digest("mac:" + agentId);
        digest[0] = (byte) ((digest[0] & 0xfc) | 0x02);
        HexFormat hex = HexFormat.ofDelimiter(":");
        return hex.formatHex(digest, 0, 6).toLowerCase(Locale.ROOT);
    }

    /** The jailer's limit for {@code --id}. */
    public static final int MAX_JAILER_ID_CHARS = 64;

    /** The shape of a mapped jailer id's suffix; ids that end like this are mapped too, so none can pose as one. */
    private static final Pattern HASH_SUFFIX = Pattern.compile(".*-[0-9a-f]{8}");

    /**
     * The jailer's {@code --id}: alphanumerics and hyphens, at most {@code maxChars} (capped at 64, at least 8)
     * characters. Ids that already fit are used as they are; others are mapped ('.' and '_' become '-', cut to
     * fit) and get a hash suffix so the mapping stays injective.
     */
    public static String jailerId(String agentId, int maxChars) {
        int max = Math.max(8, Math.min(maxChars, MAX_JAILER_ID_CHARS));
        if (agentId.length() <= max && agentId.matches("[A-Za-z0-9-]+") && !HASH_SUFFIX.matcher(agentId).matches()) {
            return agentId;
        }
        String hash = HexFormat.of().formatHex(Sha256.digest("jailer:" + agentId), 0, 4);
        String mapped = agentId.replaceAll("[^A-Za-z0-9-]", "-");
        int room = max - hash.length() - 1;
        return room <= 0 ? hash : mapped.substring(0, Math.min(mapped.length(), room)) + "-" + hash;
    }
}
