package com.advwell.jobs.control;

import static com.advwell.jobs.control.HeldJobsTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutWatchdogTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final HeldJobs held = new HeldJobs();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final TimeoutWatchdog watchdog = new TimeoutWatchdog(
            held,
            (job, failure) ->
                    failures.add(job.id() + " " + failure.getClass().getSimpleName() + ": " + failure.getMessage()));

    @Test
    void anOverdueAttemptFailsOnceItsThreadIsInterruptedAndItsRoomFreed() {
        HeldJob h = held.add(job("slow"), 0);
        Thread runner = new Thread(() -> {});
        h.started(runner, 200, 0);
        watchdog.check(200 * MS);
        assertThat(failures).as("not past the deadline yet").isEmpty();

        watchdog.check(200 * MS + 1);
        assertThat(failures).containsExactly("slow TimeoutException: timed out after 200 ms");
        assertThat(runner.isInterrupted()).isTrue();
        assertThat(h.job.lockLost()).isTrue();
        assertThat(held.count()).isZero();
        assertThat(held.handlerReturned(h))
                .as("the late handler's result is ignored")
                .isFalse();

        watchdog.check(400 * MS);
        assertThat(failures).hasSize(1);
    }

    @Test
    void bufferedAndReturnedJobsAreNotTimedOut() {
        HeldJob buffered = held.add(job("buffered"), 0);
        HeldJob done = held.add(job("done"), 0);
        done.started(Thread.currentThread(), 10, 0);
        done.returned();
        watchdog.check(Long.MAX_VALUE / 2);
        assertThat(failures).isEmpty();
        assertThat(buffered.job.lockLost()).isFalse();
        assertThat(held.count()).isEqualTo(2);
    }

    @Test
    void aJobHandedBackMeanwhileIsLeftAlone() {
        HeldJob h = held.add(job("a"), 0);
        h.started(null, 10, 0);
        assertThat(held.takeOver(h)).isTrue();
        watchdog.check(100 * MS);
        assertThat(failures).isEmpty();
    }

    @Test
    void theDeadlineHoldsAcrossTheNanoTimeWrapAround() {
        HeldJob h = held.add(job("a"), 0);
        long start = Long.MAX_VALUE - 100 * MS;
        h.started(null, 200, start);
        watchdog.check(start + 150 * MS);
        assertThat(failures).isEmpty();
        watchdog.check(start + 250 * MS);
        assertThat(failures).hasSize(1);
    }
}
