package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.guest.ImageLayout;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.rtfslang.BoundedInput;
import dev.rtfs.microvm.rtfslang.PrintableText;
import dev.rtfs.microvm.vmm.attest.ImageMeasurer;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An image directory measured against its own image.lock, without booting anything: what {@code image verify}
 * prints and what {@code image promote} requires before it points a link at the directory. A missing or invalid
 * lock is a {@link UsageException} naming the path (exit 2): there is nothing to verify against.
 */
record ImageVerification(Path root, Path lock, List<ArtifactCheck> artifacts) {

    ImageVerification {
        artifacts = List.copyOf(artifacts);
    }

    /** Measures every artifact the lock of {@code dir} records, in the lock's (file name) order. */
    static ImageVerification of(Path dir, ImageMeasurer measurer) {
        ImageLayout layout = new ImageLayout(dir.toAbsolutePath().normalize());
        Path lockFile = layout.lock();
        ImageLock lock = readLock(layout);
        List<ArtifactCheck> checks = new ArrayList<>();
        for (Map.Entry<String, String> e : lock.artifacts().entrySet()) {
            Path path;
            try {
                path = layout.artifact(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new UsageException(lockFile + " is not a valid image lock: artifact "
                        + PrintableText.of(e.getKey()) + " is not a file name");
            }
            checks.add(measure(e.getKey(), path, e.getValue(), measurer));
        }
        if (checks.isEmpty()) {
            throw new UsageException(lockFile + " is not a valid image lock: it records no artifacts");
        }
        return new ImageVerification(layout.root(), lockFile, checks);
    }

    private static ImageLock readLock(ImageLayout layout) {
        Path lockFile = layout.lock();
        try {
            if (!Files.exists(lockFile)) {
                throw new UsageException("no image.lock in " + layout.root() + " (looked for " + lockFile
                        + "); `rtfs-microvm image build --out DIR` writes one");
            }
            long max = BoundedInput.maxInputBytes();
            if (Files.size(lockFile) > max) {
                throw new UsageException(lockFile + " is not a valid image lock: larger than " + max + " bytes");
            }
            return ImageLock.besides(layout.rootfs()).orElseThrow(() -> new UsageException("no image.lock at " + lockFile));
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            throw new UsageException(why.contains(lockFile.toString()) ? why : lockFile + ": " + why);
        }
    }

    private static ArtifactCheck measure(String name, Path path, String expected, ImageMeasurer measurer) {
        try {
            if (Files.isDirectory(path)) {
                return new ArtifactCheck(name, path, expected, Optional.empty(), Optional.of("a directory, not a file"));
            }
            return new ArtifactCheck(name, path, expected, Optional.of(measurer.measure(path)), Optional.empty());
        } catch (NoSuchFileException e) {
            return new ArtifactCheck(name, path, expected, Optional.empty(), Optional.of("no such file"));
        } catch (AccessDeniedException e) {
            return new ArtifactCheck(name, path, expected, Optional.empty(), Optional.of("permission denied"));
        } catch (IOException e) {
            return new ArtifactCheck(name, path, expected, Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    /** Every artifact measured and equal to what the lock records. */
    boolean allMatch() {
        return artifacts.stream().allMatch(ArtifactCheck::ok);
    }

    long failures() {
        return artifacts.stream().filter(a -> !a.ok()).count();
    }

    /** One line per artifact (name, expected, measured, status; where it looked when it could not read it), then a summary. */
    String text() {
        int width = artifacts.stream().mapToInt(a -> a.name().length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        b.append("image ").append(root).append(" against ").append(lock).append('\n');
        for (ArtifactCheck a : artifacts) {
            b.append(String.format(Locale.ROOT, "  %-" + width + "s  expected %s  measured %s  %s", a.name(),
                    PrintableText.of(a.expected()), a.measured().orElse("-"), a.status().word));
            a.problem().ifPresent(p -> b.append(" (").append(a.path()).append(": ").append(PrintableText.of(p)).append(')'));
            b.append('\n');
        }
        b.append(allMatch() ? "ok: all " + artifacts.size() + " artifacts match image.lock"
                : "FAILED: " + failures() + " of " + artifacts.size() + " artifacts do not match image.lock");
        return b.append('\n').toString();
    }

    String json() {
        JsonMapper json = JsonMapper.shared();
        ObjectNode o = json.createObjectNode();
        o.put("image", root.toString());
        o.put("lock", lock.toString());
        o.put("ok", allMatch());
        ArrayNode list = o.putArray("artifacts");
        for (ArtifactCheck a : artifacts) {
            ObjectNode n = list.addObject();
            n.put("name", a.name());
            n.put("path", a.path().toString());
            n.put("expected", a.expected());
            n.put("measured", a.measured().orElse(null));
            n.put("status", a.status().word);
            n.put("problem", a.problem().orElse(null));
        }
        return json.writeValueAsString(o) + "\n";
    }
}
