package dev.rtfs.microvm.egresspolicy.dlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** Bounded gzip / deflate inflation (JDK zlib): stops at a size cap or a bomb's ratio instead of inflating on. */
final class Inflation {

    private Inflation() {}

    sealed interface Result {}

    record Inflated(byte[] bytes) implements Result {}

    /** Too large, too high a ratio, or not valid data of that format. */
    record Refused(String why) implements Result {}

    /**
     * Inflates {@code in} as {@code layer} (GZIP, or DEFLATE: zlib-wrapped as RFC 9110 says, raw as some clients
     * send) to at most {@code maxOut} bytes and at most {@code limits.maxInflateRatio()} times the input past
     * {@code limits.ratioFloorBytes()}.
     */
    static Result inflate(byte[] in, int from, EncodingLayer layer, long maxOut, DlpLimits limits) {
        if (layer == EncodingLayer.DEFLATE) {
            Result zlib = inflate(in, from, false, maxOut, limits);
            return zlib instanceof Refused r && r.why().startsWith("not valid") ? inflate(in, from, true, maxOut, limits)
                    : zlib;
        }
        try (InputStream s = new GZIPInputStream(new ByteArrayInputStream(in, from, in.length - from), 8192)) {
            return drain(s, in.length - from, "gzip", maxOut, limits);
        } catch (IOException e) {
            return new Refused("not valid gzip: " + e.getMessage());
        }
    }

    private static Result inflate(byte[] in, int from, boolean raw, long maxOut, DlpLimits limits) {
        Inflater inflater = new Inflater(raw);
        try (InputStream s = new InflaterInputStream(new ByteArrayInputStream(in, from, in.length - from), inflater, 8192)) {
            return drain(s, in.length - from, "deflate", maxOut, limits);
        } catch (IOException e) {
            return new Refused("not valid deflate: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static Result drain(InputStream s, long inLength, String format, long maxOut, DlpLimits limits)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long ratioCap = Math.max(limits.ratioFloorBytes(), inLength * limits.maxInflateRatio());
        int r;
        while ((r = s.read(buf)) > 0) {
            out.write(buf, 0, r);
            if (out.size() > maxOut) {
                return new Refused(format + " inflates past the " + maxOut + "-byte decoding budget");
            }
            if (out.size() > ratioCap) {
                return new Refused(format + " inflates past " + limits.maxInflateRatio() + "x its " + inLength
                        + " bytes (a compression bomb)");
            }
        }
        return new Inflated(out.toByteArray());
    }
}
