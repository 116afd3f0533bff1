package com.advwell.jobs.control;

import static com.advwell.jobs.control.HeldJobsTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockRenewerTest {

    private static final Duration LOCK = Duration.ofSeconds(30);

    private final HeldJobs held = new HeldJobs();
    private final List<List<String>> calls = new ArrayList<>();

    private LockRenewer renewer(List<String> lost) {
        return new LockRenewer(
                "q",
                held,
                (jobs, lock) -> {
                    assertThat(lock).isEqualTo(LOCK);
                    calls.add(jobs.stream().map(FetchedJob::id).sorted().toList());
                    return lost;
                },
                LOCK);
    }

    @Test
    void renewsBufferedAndRunningJobsInOneCallNotTheSettledOnes() {
        held.add(job("buffered"), 0);
        held.add(job("running"), 0).started(Thread.currentThread(), 1000, 0);
        HeldJob finished = held.add(job("finished"), 0);
        held.handlerReturned(finished);
        HeldJob timedOut = held.add(job("timed-out"), 0);
        timedOut.settled.set(true); // the watchdog won it, and has not removed it yet
        renewer(List.of()).run();
        assertThat(calls).containsExactly(List.of("buffered", "running"));
    }

    @Test
    void aJobWhoseLockAnotherConsumerTookIsToldItLostIt() {
        HeldJob kept = held.add(job("kept"), 0);
        HeldJob stolen = held.add(job("stolen"), 0);
        renewer(List.of("stolen", "gone-meanwhile")).run();
        assertThat(stolen.job.lockLost()).isTrue();
        assertThat(kept.job.lockLost()).isFalse();
    }

    @Test
    void holdingNothingCostsNoCall() {
        renewer(List.of()).run();
        assertThat(calls).isEmpty();
    }

    @Test
    void aFailedRenewalDoesNotEndTheSchedule() {
        held.add(job("a"), 0);
        new LockRenewer(
                        "q",
                        held,
                        (jobs, lock) -> {
                            throw new IllegalStateException("connection reset");
                        },
                        LOCK)
                .run(); // a scheduled task that throws is never run again
    }

    @Test
    void renewsThreeTimesPerLockAtMostEvery200Ms() {
        assertThat(LockRenewer.periodMillis(Duration.ofSeconds(30))).isEqualTo(10_000);
        assertThat(LockRenewer.periodMillis(Duration.ofSeconds(1))).isEqualTo(333);
        assertThat(LockRenewer.periodMillis(Duration.ofMillis(300))).isEqualTo(200);
    }
}
