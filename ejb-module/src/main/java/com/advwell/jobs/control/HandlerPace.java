package com.advwell.jobs.control;

import java.util.concurrent.TimeUnit;

/**
 * The handlers' recent pace (an exponentially weighted run time), and what it sizes: how many jobs a worker buffers
 * beyond its running ones, and how many runners it keeps awake to drain the buffer.
 */
final class HandlerPace {

    /** The buffer holds, beyond one job per runner, what the runners would start within this at their pace. */
    static final long PREFETCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Enough runners are woken to drain the buffer within this at the handlers' recent pace. */
    static final long DRAIN_TARGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A job costs a runner at least this much besides its handler (bookkeeping), whatever the handler takes. */
    static final long MIN_JOB_NANOS = TimeUnit.MICROSECONDS.toNanos(2);
    /** Until the handler's pace is known it is assumed slow: no prefetch, a runner per buffered job. */
    static final long INITIAL_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int concurrency;
    private final int prefetchMax;
    private volatile long runNanos = INITIAL_RUN_NANOS;

    HandlerPace(int concurrency, int prefetchMax) {
        this.concurrency = concurrency;
        this.prefetchMax = prefetchMax;
    }

    /**
     * Weighs in one run. Runners race here without a lock on purpose: a lost update costs one sample of an
     * estimate, a lock would cost every job.
     */
    void ran(long tookNanos) {
        long pace = runNanos;
        runNanos = pace + (tookNanos - pace) / 8;
    }

    /** What a job costs a runner now; read once per decision, as the pace may move meanwhile. */
    long perJobNanos() {
        return Math.max(runNanos, MIN_JOB_NANOS);
    }

    /** How many jobs to buffer beyond one per runner. */
    int prefetch() {
        return (int) Math.min(prefetchMax, concurrency * PREFETCH_WINDOW_NANOS / perJobNanos());
    }

    /** How many runners drain {@code buffered} jobs within the drain target at {@code perJobNanos} (at least one). */
    long runnersToDrain(int buffered, long perJobNanos) {
        return Math.min(
                concurrency, Math.max(1, (buffered * perJobNanos + DRAIN_TARGET_NANOS - 1) / DRAIN_TARGET_NANOS));
    }

    /**
     * Whether a runner in the middle of a job takes the next one soon; with slower handlers only a runner between
     * jobs counts as available.
     */
    static boolean quick(long perJobNanos) {
        return perJobNanos < DRAIN_TARGET_NANOS;
    }
}
