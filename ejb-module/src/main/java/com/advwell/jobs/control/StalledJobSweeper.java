package com.advwell.jobs.control;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The queue-wide sweep that puts the jobs whose lock ran out, whoever held them, back to waiting (docs/queues.md,
 * "Stalls"). It is the queue's, not a worker's: it recovers the jobs of consumers that died, so every replica that
 * consumes a queue runs it, alongside its worker.
 */
final class StalledJobSweeper implements Runnable {

    /** Told what a sweep recovered; must be cheap and must not throw. */
    @FunctionalInterface
    interface Listener {
        void recovered(long backToWaiting, long failedForGood);
    }

    /** At most this many jobs per sweep: the script blocks Redis while it runs. */
    static final int MAX_PER_SWEEP = 1000;

    private static final Logger LOG = Logger.getLogger(StalledJobSweeper.class.getName());

    private final String queueName;
    private final IntFunction<long[]> recoverStalled;
    private final Listener listener;

    StalledJobSweeper(RedisJobQueue queue, Listener listener) {
        this(queue.name(), queue::recoverStalled, listener);
    }

    /** {@code recoverStalled} answers {jobs back to waiting, jobs failed for good}, as the script does. */
    StalledJobSweeper(String queueName, IntFunction<long[]> recoverStalled, Listener listener) {
        this.queueName = queueName;
        this.recoverStalled = recoverStalled;
        this.listener = listener;
    }

    ScheduledFuture<?> start(ScheduledExecutorService scheduler, Duration every) {
        long millis = every.toMillis();
        return scheduler.scheduleWithFixedDelay(this, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            long[] r = recoverStalled.apply(MAX_PER_SWEEP);
            if (r[0] > 0 || r[1] > 0) {
                LOG.info(() -> queueName + ": " + r[0] + " stalled jobs back to waiting, " + r[1] + " failed");
                listener.recovered(r[0], r[1]);
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; Redis may be back at the next sweep
            LOG.log(Level.FINE, "stalled-job check for " + queueName + " failed", e);
        }
    }
}
