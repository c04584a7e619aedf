package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.guest.RunConfigDisk;
import dev.rtfs.microvm.vmm.attest.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The run config disk a run wrote and what the chain's {@code run.started} records of it.
 *
 * @param disk     the raw image in the run dir, attached read-only to every boot of the run
 * @param sha256   {@code sha256:<hex>} of the image's bytes, as written
 * @param caSha256 {@code sha256:<hex>} of the DER of the CA certificate on it (the proxy's interception CA)
 */
record RunConfigRecord(Path disk, String sha256, String caSha256) {

    RunConfigRecord {
        Objects.requireNonNull(disk);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(caSha256);
    }

    /** Writes the disk for {@code caPem} to {@code file} and measures what was written. */
    static RunConfigRecord write(Path file, String caPem) throws IOException {
        RunConfigDisk disk;
        try {
            disk = RunConfigDisk.of(caPem);
        } catch (RunConfigDisk.MalformedException e) {
            // The proxy's own CA: a broken one is a bug of ours, not the user's input.
            throw new IllegalStateException("the proxy's interception CA is unusable: " + e.getMessage(), e);
        }
        disk.writeTo(file);
        return new RunConfigRecord(file, Sha256.ofFile(file), disk.caSha256());
    }
}
