package com.advwell.jobs.control;

import java.time.Duration;

/**
 * How one consumer runs: its identity in locks and job records, how many jobs it runs at once, how long a lock
 * lasts without renewal, how often it looks for stalled jobs, and the timeout of jobs that name none.
 */
public record WorkerOptions(String workerId, int concurrency, Duration lock, Duration stallCheck,
        Duration defaultTimeout) {

    public WorkerOptions {
        if (concurrency < 1 || concurrency > 1000) {
            throw new IllegalArgumentException("concurrency must be between 1 and 1000: " + concurrency);
        }
        if (lock.toMillis() < 1000) {
            throw new IllegalArgumentException("lock must be at least 1 s: " + lock);
        }
    }

    public WorkerOptions withConcurrency(int n) {
        return new WorkerOptions(workerId, n, lock, stallCheck, defaultTimeout);
    }
}
