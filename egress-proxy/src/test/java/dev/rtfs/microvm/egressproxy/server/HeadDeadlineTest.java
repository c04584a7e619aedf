package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The header deadline fires once per arming and knows an idle connection from a slow head. */
class HeadDeadlineTest {

    @Test
    void anArmedDeadlineFiresOnceAfterItsTimeout() {
        EmbeddedChannel ch = new EmbeddedChannel();
        AtomicInteger fired = new AtomicInteger();
        HeadDeadline d = new HeadDeadline(ch.eventLoop(), Duration.ofMillis(100), fired::incrementAndGet);
        d.arm();
        ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(0);
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aCancelledDeadlineNeverFires() {
        EmbeddedChannel ch = new EmbeddedChannel();
        AtomicInteger fired = new AtomicInteger();
        HeadDeadline d = new HeadDeadline(ch.eventLoop(), Duration.ofMillis(100), fired::incrementAndGet);
        d.arm();
        d.cancel();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(fired).hasValue(0);
        ch.finishAndReleaseAll();
    }

    @Test
    void armingAfreshForgetsTheBytesButABodyKeepsItsHeadsCount() {
        EmbeddedChannel ch = new EmbeddedChannel();
        HeadDeadline d = new HeadDeadline(ch.eventLoop(), Duration.ofMillis(100), () -> { });
        d.arm();
        assertThat(d.idle()).isTrue();
        d.count(12);
        d.rearmKeepingCount();
        assertThat(d.idle()).isFalse();
        d.arm();
        assertThat(d.idle()).isTrue();
        d.cancel();
        ch.finishAndReleaseAll();
    }
}
