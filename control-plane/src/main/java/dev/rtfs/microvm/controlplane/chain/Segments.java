package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Segment files of a chain directory: {@code <first seq, 20 digits>.seg}, in seq order. */
public final class Segments {
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

    public record Segment(Path path, long firstSeq) {}

    private Segments() {}

    public static List<Segment> list(Path dir) throws IOException {
        List<Segment> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                long first = firstSeq(p);
                if (first >= 0 && Files.isRegularFile(p)) result.add(new Segment(p, first));
            }
        }
        result.sort(Comparator.comparingLong(Segment::firstSeq));
        return result;
    }

    public static Path path(Path dir, long firstSeq) {
        return dir.resolve(String.format("%020d.seg", firstSeq));
    }

    /** The first seq a segment file name promises, or -1 when the name is not a segment name. */
    public static long firstSeq(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return -1;
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
