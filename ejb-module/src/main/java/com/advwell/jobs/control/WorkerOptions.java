package com.advwell.jobs.control;

import java.time.Duration;

/**
 * How one consumer runs: its identity in locks and job records, how many jobs it runs at once, how long a lock
 * lasts without renewal, how often it looks for stalled jobs, the timeout of jobs that name none, and how many jobs
 * at most it buffers beyond its running ones (0 = no prefetch).
 */
public record WorkerOptions(String workerId, int concurrency, Duration lock, Duration stallCheck,
        Duration defaultTimeout, int prefetchMax) {

    public static final int DEFAULT_PREFETCH_MAX = 200;

    public WorkerOptions(String workerId, int concurrency, Duration lock, Duration stallCheck,
            Duration defaultTimeout) {
        this(workerId, concurrency, lock, stallCheck, defaultTimeout, DEFAULT_PREFETCH_MAX);
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
    }

    public WorkerOptions withConcurrency(int n) {
        return new WorkerOptions(workerId, n, lock, stallCheck, defaultTimeout, prefetchMax);
    }
}
