package dev.rtfs.microvm.vmm.qemu;

import java.time.Duration;

/**
 * What the boot watchdog saw.
 *
 * @param markerSeen the guest printed the marker before the deadline
 * @param exited     the VMM process ended by itself (guest power-off with -no-reboot, or a VMM error) before
 *                   the deadline; false means it hung and was killed
 * @param exitCode   the VMM's exit code, -1 when it was killed
 * @param attempts   boots started (a retry happens only after a hang)
 * @param console    the last lines of the serial console of the final attempt
 */
public record BootOutcome(boolean markerSeen, boolean exited, int exitCode, int attempts, Duration elapsed, String console) {
    public boolean succeeded() {
        return markerSeen && exited;
    }
}
