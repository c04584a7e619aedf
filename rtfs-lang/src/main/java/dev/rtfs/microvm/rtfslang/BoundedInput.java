package dev.rtfs.microvm.rtfslang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading input files with a size bound, for every command and the supervisor alike: a file larger than the bound
 * is refused after reading at most one byte more (a regular file by its size, without reading it; {@code /dev/zero},
 * FIFOs and other streams by counting).
 */
public final class BoundedInput {

    /** Input larger than this many bytes is refused unless {@value #MAX_INPUT_PROPERTY} says otherwise. */
    public static final long DEFAULT_MAX_INPUT_BYTES = 4L << 20;

    /** System property ({@code RTFS_JAVA_OPTS=-Drtfs.maxInputBytes=N} with the launcher) that sets the bound. */
    public static final String MAX_INPUT_PROPERTY = "rtfs.maxInputBytes";

    private BoundedInput() {}

    /** More than the limit: {@link #seen} says how that was found. */
    public static final class TooLarge extends Exception {
        private final String seen;

        TooLarge(String seen) {
            super(seen, null, false, false);
            this.seen = seen;
        }

        public String seen() {
            return seen;
        }
    }

    /** The input bound in bytes: {@value #MAX_INPUT_PROPERTY} when it is a positive number, else 4 MiB. */
    public static long maxInputBytes() {
        Long set = Long.getLong(MAX_INPUT_PROPERTY);
        return set == null || set < 1 ? DEFAULT_MAX_INPUT_BYTES : Math.min(set, Integer.MAX_VALUE - 16);
    }

    /**
     * The bytes of {@code file} when there are at most {@code limit}; never reads more than {@code limit + 1} bytes
     * and never allocates more than it read, whatever the file is.
     */
    public static byte[] readAtMost(Path file, long limit) throws IOException, TooLarge {
        int max = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        if (Files.isRegularFile(file)) {
            long size = Files.size(file);
            if (size > max) throw new TooLarge("its size is " + size + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) throw new TooLarge("stopped reading after " + bytes.length + " bytes");
            return bytes;
        }
    }
}
