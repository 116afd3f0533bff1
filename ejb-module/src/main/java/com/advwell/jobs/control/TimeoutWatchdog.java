package com.advwell.jobs.control;

import java.util.concurrent.TimeoutException;

/**
 * Fails the attempts that run past their timeout and interrupts their thread. One sweep over the held jobs for all
 * of them, because scheduling a timer per job cost more than the job itself in benchmarks.
 */
final class TimeoutWatchdog {

    /** Records a failed attempt in the queue. */
    @FunctionalInterface
    interface Failures {
        void record(FetchedJob job, Throwable failure);
    }

    /** How often running jobs are checked against their timeout: a job times out up to this much late. */
    static final long CHECK_MILLIS = 50;

    private final HeldJobs held;
    private final Failures failures;

    TimeoutWatchdog(HeldJobs held, Failures failures) {
        this.held = held;
        this.failures = failures;
    }

    void check(long nowNanos) {
        for (HeldJob h : held.unfinished()) {
            if (h.overdue(nowNanos)) {
                timedOut(h, h.timeoutMillis);
            }
        }
    }

    private void timedOut(HeldJob h, long timeoutMillis) {
        if (!held.takeOver(h)) {
            return;
        }
        failures.record(h.job.fetched(), new TimeoutException("timed out after " + timeoutMillis + " ms"));
        held.letGo();
        Thread t = h.thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
