package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.guest.image.LockedCapability;
import dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog;
import dev.rtfs.microvm.orchestrator.capability.CapabilityPackage;
import dev.rtfs.microvm.orchestrator.capability.CapabilityPackages;
import dev.rtfs.microvm.vmm.attest.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code image build --capabilities DIR}: every package's manifest read and checked (positioned diagnostics, the
 * image not written on any error), then each package as image.lock records it (manifest and entry hashed, effects
 * written back as RTFS).
 *
 * @param packed  the packages to record; empty when refused
 * @param refused the manifests' problems, one report per directory
 */
record CapabilityPackaging(List<LockedCapability> packed, Optional<FileReport> refused) {

    static CapabilityPackaging of(Path dir) throws IOException {
        CapabilityPackages.Reading reading = CapabilityPackages.read(dir);
        if (!reading.valid()) {
            return new CapabilityPackaging(List.of(),
                    Optional.of(FileReport.of(dir.toString(), reading.diagnostics(), reading.sources(), false)));
        }
        List<LockedCapability> packed = new ArrayList<>();
        for (CapabilityPackage p : reading.packages()) {
            packed.add(new LockedCapability(p.manifest().id(), p.manifest().entry(), Sha256.ofFile(p.manifestFile()),
                    Sha256.ofFile(p.entryFile()), CapabilityCatalog.effectsText(p.manifest().effects())));
        }
        return new CapabilityPackaging(packed, Optional.empty());
    }
}
