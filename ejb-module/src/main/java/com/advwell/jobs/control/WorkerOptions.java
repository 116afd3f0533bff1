package com.advwell.jobs.control;

import java.time.Duration;

/**
 * How one consumer runs: its identity in locks and job records, how many jobs it runs at once, how long a lock
 * lasts without renewal, the timeout of jobs that name none, how many jobs at most it buffers beyond its running
 * ones (0 = no prefetch), and for how long it keeps trying to record a completion that failed the way a Redis
 * failover fails (zero = not at all: the job runs again once its lock runs out). How often stalled jobs are looked
 * for is the queue's, not the consumer's ({@code StalledJobSweeper}).
 */
public record WorkerOptions(
        String workerId,
        int concurrency,
        Duration lock,
        Duration defaultTimeout,
        int prefetchMax,
        Duration completionRetry) {

    public static final int DEFAULT_PREFETCH_MAX = 200;
    /**
     * Covers a Sentinel failover (about 5 s measured, see docs/configuration.md) with room to spare, and stays within
     * the lock.
     */
    public static final Duration DEFAULT_COMPLETION_RETRY = Duration.ofSeconds(15);

    public WorkerOptions(String workerId, int concurrency, Duration lock, Duration defaultTimeout) {
        this(workerId, concurrency, lock, defaultTimeout, DEFAULT_PREFETCH_MAX);
    }

    public WorkerOptions(String workerId, int concurrency, Duration lock, Duration defaultTimeout, int prefetchMax) {
        this(workerId, concurrency, lock, defaultTimeout, prefetchMax, DEFAULT_COMPLETION_RETRY);
    }

    public WorkerOptions {
        if (concurrency < 1 || concurrency > 1000) {
            throw new IllegalArgumentException("concurrency must be between 1 and 1000: " + concurrency);
        }
        if (prefetchMax < 0 || prefetchMax > 1000) {
            throw new IllegalArgumentException("prefetchMax must be between 0 and 1000: " + prefetchMax);
        }
        if (lock.toMillis() < 1000) {
            throw new IllegalArgumentException("lock must be at least 1 s: " + lock);
        }
        if (completionRetry.isNegative()) {
            throw new IllegalArgumentException("completionRetry must not be negative: " + completionRetry);
        }
    }

    public WorkerOptions withConcurrency(int n) {
        return new WorkerOptions(workerId, n, lock, defaultTimeout, prefetchMax, completionRetry);
    }
}
