package com.advwell.jobs.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;

/**
 * One replica's consumer of one queue, without the container: starts and stops the {@link FetchLoop} and the parts
 * that watch the jobs it holds (lock renewal, timeouts), and reports its health. How it works: docs/queues.md,
 * "Inside a worker".
 */
public final class QueueWorker {

    /** The code that runs a job; returns the result as JSON text, or null. */
    @FunctionalInterface
    public interface Handler {
        String handle(Job job) throws Exception;
    }

    /** What the worker tells metrics; every method must be cheap and must not throw. */
    public interface Listener {
        default void completed(FetchedJob job, long waitMillis, long runMillis) {}

        default void failed(FetchedJob job, boolean willRetry, String error) {}
    }

    private final RedisJobQueue queue;
    private final WorkerOptions options;
    private final ScheduledExecutorService scheduler;
    private final FetchLoop loop;
    private final LockRenewer lockRenewer;
    private final TimeoutWatchdog timeouts;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();

    public QueueWorker(
            RedisJobQueue queue,
            UnifiedJedis blocking,
            WorkerOptions options,
            Handler handler,
            Executor executor,
            ScheduledExecutorService scheduler,
            Listener listener) {
        this.queue = queue;
        this.options = options;
        this.scheduler = scheduler;
        HeldJobs held = new HeldJobs();
        this.loop = new FetchLoop(
                queue,
                blocking,
                options,
                handler,
                executor,
                listener,
                held,
                new HandlerPace(options.concurrency(), options.prefetchMax()));
        this.lockRenewer = new LockRenewer(queue.name(), held, queue::extendLocks, options.lock());
        this.timeouts = new TimeoutWatchdog(held, loop::recordFailure);
    }

    public String queueName() {
        return queue.name();
    }

    public WorkerOptions options() {
        return options;
    }

    public synchronized void start() {
        if (loop.isFetching()) {
            return;
        }
        long renewEvery = LockRenewer.periodMillis(options.lock());
        periodic.add(scheduler.scheduleWithFixedDelay(lockRenewer, renewEvery, renewEvery, TimeUnit.MILLISECONDS));
        periodic.add(scheduler.scheduleWithFixedDelay(
                this::watch, TimeoutWatchdog.CHECK_MILLIS, TimeoutWatchdog.CHECK_MILLIS, TimeUnit.MILLISECONDS));
        loop.start();
    }

    /** Times out overdue jobs, and wakes runners if buffered jobs wait behind slow handlers. */
    private void watch() {
        timeouts.check(System.nanoTime());
        loop.wakeRunnersBehindSlowJobs();
    }

    /** Stops taking new jobs (the first step of {@link #stop}, so that several workers can stop fetching at once). */
    public synchronized void stopFetching() {
        loop.stopFetching();
    }

    /**
     * Stops fetching, hands the buffered jobs back at once, waits up to {@code grace} for running jobs to finish,
     * then hands the rest back to waiting at once too (another replica takes them now, not after the lock runs out).
     * Returns how many were handed back.
     */
    public long stop(Duration grace) {
        synchronized (this) {
            loop.stopFetching();
            periodic.forEach(f -> f.cancel(false));
            periodic.clear();
        }
        return loop.stop(grace);
    }

    public boolean isFetching() {
        return loop.isFetching();
    }

    /** Jobs whose handler is running now. */
    public int activeCount() {
        return loop.executing();
    }

    /** How long ago the last fetch (or wait for new jobs) succeeded; grows while Redis is unreachable. */
    public long lastFetchAgeMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loop.lastFetchOkNanos());
    }

    public String lastError() {
        return loop.lastError();
    }
}
