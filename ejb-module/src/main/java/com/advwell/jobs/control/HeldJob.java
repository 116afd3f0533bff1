package com.advwell.jobs.control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job a worker holds under its lock, buffered or running: what the watchdog, the lock renewal and a hand-back need
 * to find it, and the flag that lets exactly one of them, or the handler's outcome, settle it.
 */
final class HeldJob {

    final Job job;
    /** Redis' clock at the fetch: the job's wait is measured against its creation on the same clock. */
    final long redisFetchMillis;

    final long fetchedNanos = System.nanoTime();
    volatile long startedNanos;
    volatile Thread thread;
    volatile long deadlineNanos = Long.MAX_VALUE;
    volatile long timeoutMillis;
    final AtomicBoolean settled = new AtomicBoolean();

    HeldJob(Job job, long redisFetchMillis) {
        this.job = job;
        this.redisFetchMillis = redisFetchMillis;
    }

    String id() {
        return job.fetched().id();
    }

    /** Arms the watchdog; the deadline is written last, so the watchdog sees the thread and the timeout with it. */
    void started(Thread runner, long timeoutMillis, long nowNanos) {
        thread = runner;
        this.timeoutMillis = timeoutMillis;
        startedNanos = nowNanos;
        deadlineNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Disarms the watchdog; the handler's thread goes on to other work. */
    void returned() {
        deadlineNanos = Long.MAX_VALUE;
        thread = null;
    }

    boolean overdue(long nowNanos) {
        return nowNanos - deadlineNanos > 0 && deadlineNanos != Long.MAX_VALUE;
    }
}
