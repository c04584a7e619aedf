package dev.rtfs.microvm.egresspolicy.dlp;

/**
 * Bounds on what the DLP decodes for one request, so an agent cannot make the scan itself the attack.
 *
 * @param maxDepth         nested encoding layers undone (percent of percent of base64 is 3)
 * @param maxDecodedBytes  bytes of decoded views produced for one request, over all parts and layers
 * @param maxInflateRatio  a compressed blob that inflates past this ratio (and past {@code ratioFloorBytes}) is a
 *                         bomb: refused, not inflated further
 * @param ratioFloorBytes  output below this size never trips the ratio (small bodies compress well)
 */
public record DlpLimits(int maxDepth, long maxDecodedBytes, int maxInflateRatio, long ratioFloorBytes) {

    public static final int DEFAULT_DEPTH = 3;
    public static final int DEFAULT_INFLATE_RATIO = 100;

    /** 3 layers; 8x the body cap of decoded bytes (at least 1 MiB); 100:1 past 64 KiB. */
    public static DlpLimits forBodyCap(long maxRequestBytes) {
        return new DlpLimits(DEFAULT_DEPTH, Math.max(1L << 20, 8 * maxRequestBytes), DEFAULT_INFLATE_RATIO, 64 * 1024);
    }
}
