package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When accept(2) fails (out of file descriptors) the listener pauses instead of retrying in a tight loop: the policy
 * (doubling pauses, bounded, reset by a successful accept) and the handler that applies it to a listener.
 */
class AcceptBackoffTest {

    @Test
    void pausesDoubleUpToTheBoundAndStartOverAfterASuccessfulAccept() {
        AcceptBackoff b = new AcceptBackoff();
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pauses.add(b.onFailure());
        }
        assertThat(pauses).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
        assertThat(b.failures()).isEqualTo(8);
        b.onSuccess();
        assertThat(b.failures()).isZero();
        assertThat(b.onFailure()).isEqualTo(AcceptBackoff.FIRST_MILLIS);
    }

    @Test
    void aFailedAcceptStopsReadingTheListenerUntilThePauseEndsAndIsNotPassedOn() {
        List<Throwable> passedOn = new ArrayList<>();
        AcceptBackoffHandler h = new AcceptBackoffHandler("a");
        EmbeddedChannel listener = new EmbeddedChannel(h, new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                passedOn.add(cause);
            }
        });
        listener.freezeTime(); // only advanceTimeBy moves the clock: a busy machine cannot pass a deadline early
        IOException emfile = new IOException("accept(..) failed: Too many open files");
        listener.pipeline().fireExceptionCaught(emfile);
        assertThat(listener.config().isAutoRead()).as("paused").isFalse();
        listener.pipeline().fireExceptionCaught(emfile); // a second failure while paused schedules nothing more
        listener.advanceTimeBy(49, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("reading again after 50 ms").isTrue();
        // The streak goes on: the next pause is longer (the second failure above already doubled it).
        listener.pipeline().fireExceptionCaught(emfile);
        listener.advanceTimeBy(199, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isTrue();
        assertThat(passedOn).as("Netty's fixed one-second pause and its log line are not triggered").isEmpty();

        // An accepted connection ends the streak; errors that are not I/O pass on untouched.
        listener.writeInbound("accepted child");
        assertThat(listener.config().isAutoRead()).isTrue();
        IllegalStateException bug = new IllegalStateException("not an accept failure");
        listener.pipeline().fireExceptionCaught(bug);
        assertThat(passedOn).containsExactly(bug);
        assertThat(listener.config().isAutoRead()).isTrue();
        listener.finishAndReleaseAll();
    }
}
