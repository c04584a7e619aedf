package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.guest.ImageLayout;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.guest.image.LockedCapability;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog;
import dev.rtfs.microvm.rtfslang.Span;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a plan may call in an image: the built-ins and the user capability packages its {@code image.lock} records
 * (a closed catalog, so a call to anything else is refused at admission, before boot). A directory without a lock
 * (no image built there) admits as a config alone does ({@link CapabilityCatalog#OPEN}); a lock that does not read
 * is a problem, never taken as "no capabilities".
 */
public final class ImageCapabilities {

    private ImageCapabilities() {}

    /** The catalog of the image in {@code imageDir}; problems are added to {@code out}. */
    public static CapabilityCatalog of(Path imageDir, List<Diagnostic> out) {
        Path lockFile = new ImageLayout(imageDir).lock();
        Optional<ImageLock> lock;
        try {
            lock = ImageLock.besides(lockFile);
        } catch (IOException e) {
            out.add(Diagnostic.error(AdmissionCode.CAPABILITY_MANIFEST, "image.capabilities",
                    "cannot read the image's capabilities: " + e.getMessage(),
                    "rebuild the image with rtfs-microvm image build", new Span(lockFile.toString(), 0, 1, 1, 0)));
            return CapabilityCatalog.closed(Map.of());
        }
        if (lock.isEmpty()) return CapabilityCatalog.OPEN;
        Map<String, String> effects = new TreeMap<>();
        for (LockedCapability c : lock.get().userCapabilities()) effects.put(c.id(), c.effects());
        return CapabilityCatalog.fromRecorded(effects, lockFile.toString(), out);
    }
}
