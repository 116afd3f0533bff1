package com.advwell.jobs.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Extends the locks of the jobs a worker holds, buffered ones included, well before they run out, and tells the
 * handler of a job whose lock another consumer took that it lost it (bullmq keeps its lock manager apart too).
 */
final class LockRenewer implements Runnable {

    /** Extends the given jobs' locks in one call; answers the ids whose lock the caller lost. */
    @FunctionalInterface
    interface Extend {
        List<String> locks(List<FetchedJob> jobs, Duration lock);
    }

    // the worker's logger: operators tune the consumer's logging in one place
    private static final Logger LOG = Logger.getLogger(QueueWorker.class.getName());

    private final String queueName;
    private final HeldJobs held;
    private final Extend extend;
    private final Duration lock;

    LockRenewer(String queueName, HeldJobs held, Extend extend, Duration lock) {
        this.queueName = queueName;
        this.held = held;
        this.extend = extend;
        this.lock = lock;
    }

    /** Three renewals per lock: one that fails (a slow call, a failover) leaves time for two more. */
    static long periodMillis(Duration lock) {
        return Math.max(200, lock.toMillis() / 3);
    }

    @Override
    public void run() {
        if (held.noneUnfinished()) {
            return;
        }
        List<FetchedJob> jobs = new ArrayList<>(held.unfinishedCount());
        for (HeldJob h : held.unfinished()) {
            if (!h.settled.get()) {
                jobs.add(h.job.fetched());
            }
        }
        try {
            for (String lost : extend.locks(jobs, lock)) {
                HeldJob h = held.unfinished(lost);
                if (h != null) {
                    h.job.markLockLost();
                }
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.log(Level.FINE, "lock renewal for " + queueName + " failed", e);
        }
    }
}
