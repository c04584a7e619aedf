package dev.rtfs.microvm.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The boot watchdog on stand-in processes; real QEMU boots are in the guest module's QemuBootTest. */
class BootWatchdogTest {

    @Test
    void watchdogDoesNotRetryAVmmThatFailsOnItsOwn() throws Exception {
        long start = System.nanoTime();
        BootOutcome outcome = new BootWatchdog(Duration.ofSeconds(30), 2).boot(List.of("false"), "never");
        assertThat(outcome.exited()).isTrue();
        assertThat(outcome.markerSeen()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void watchdogKillsAHungBootAndRetriesOnce() throws Exception {
        // "sleep" stands in for a guest that hangs before printing anything.
        BootOutcome outcome = new BootWatchdog(Duration.ofMillis(300), 2).boot(List.of("sleep", "30"), "never");
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.exitCode()).isEqualTo(-1);
        assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(20));
    }
}
