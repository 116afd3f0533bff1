package com.advwell.jobs.control;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * One replica's consumer of one queue, without the container: a fetch loop that sleeps on Redis ({@code BLPOP} of
 * the queue's wake-up list) while there is nothing to do, up to {@code concurrency} handlers that complete their job
 * and take the next one in the same round trip (above concurrency 1, the completions that finish while one such call
 * is in flight are made together in the next: one script for the whole batch), a lock renewer, and a stalled-job
 * sweeper. The executors are the
 * container's managed ones in production and plain pools in tests.
 *
 * <p>Nothing here assumes the Redis connection survives: every Redis error is logged and retried with a short
 * pause, so after a Sentinel failover the loop simply continues on the new master. {@link #lastFetchAgeMillis()}
 * lets a health check notice a consumer that has not fetched for too long.
 */
public final class QueueWorker {

    /** The code that runs a job; returns the result as JSON text, or null. */
    @FunctionalInterface
    public interface Handler {
        String handle(Job job) throws Exception;
    }

    /** What the worker tells metrics; every method must be cheap and must not throw. */
    public interface Listener {
        default void completed(FetchedJob job, long waitMillis, long runMillis) {
        }

        default void failed(FetchedJob job, boolean willRetry, String error) {
        }

        default void recovered(long backToWaiting, long failedForGood) {
        }
    }

    private static final Logger LOG = Logger.getLogger(QueueWorker.class.getName());
    private static final int MAX_STACK = 8192;
    private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(1);
    /** How often running jobs are checked against their timeout: a job times out up to this much late. */
    private static final long TIMEOUT_CHECK_MILLIS = 50;
    private static final int MAX_SETTLE_BATCH = 1000;
    /** A waiting handler looks again this often even without a wake-up (a safety net, not the normal path). */
    private static final long SETTLE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** A job this worker runs, with what it needs to renew, time out or hand it back. */
    private static final class Running {
        final Job job;
        final long redisStartMillis;
        final long startNanos = System.nanoTime();
        volatile Thread thread;
        volatile long deadlineNanos = Long.MAX_VALUE;
        volatile long timeoutMillis;
        final AtomicBoolean settled = new AtomicBoolean();

        Running(Job job, long redisStartMillis) {
            this.job = job;
            this.redisStartMillis = redisStartMillis;
        }
    }

    /** One handler's finished job waiting to be completed with others, and what that call said about it. */
    private static final class Settlement {
        final Running running;
        final String result;
        final Thread waiter = Thread.currentThread();
        QueueError lost;
        Running next;
        RuntimeException error;
        volatile boolean done;

        Settlement(Running running, String result) {
            this.running = running;
            this.result = result;
        }
    }

    private final RedisJobQueue queue;
    private final UnifiedJedis blocking;
    private final WorkerOptions options;
    private final Handler handler;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object slotFreed = new Object();
    private final AtomicLong tokens = new AtomicLong();
    private final String tokenPrefix;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    private final Queue<Settlement> settlements = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean settling = new AtomicBoolean();
    private volatile boolean fetching;
    private volatile long lastFetchOkNanos = System.nanoTime();
    private volatile String lastError;
    private volatile Thread loopThread;

    public QueueWorker(RedisJobQueue queue, UnifiedJedis blocking, WorkerOptions options, Handler handler,
            Executor executor, ScheduledExecutorService scheduler, Listener listener) {
        this.queue = queue;
        this.blocking = blocking;
        this.options = options;
        this.handler = handler;
        this.executor = executor;
        this.scheduler = scheduler;
        this.listener = listener;
        this.tokenPrefix = options.workerId() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    public String queueName() {
        return queue.name();
    }

    public WorkerOptions options() {
        return options;
    }

    public synchronized void start() {
        if (fetching) {
            return;
        }
        fetching = true;
        lastFetchOkNanos = System.nanoTime();
        long renewEvery = Math.max(200, options.lock().toMillis() / 3);
        periodic.add(scheduler.scheduleWithFixedDelay(this::renewLocks, renewEvery, renewEvery,
                TimeUnit.MILLISECONDS));
        // one watchdog for all running jobs: scheduling a timer per job cost more than the job itself in benchmarks
        periodic.add(scheduler.scheduleWithFixedDelay(this::checkTimeouts, TIMEOUT_CHECK_MILLIS, TIMEOUT_CHECK_MILLIS,
                TimeUnit.MILLISECONDS));
        long sweepEvery = options.stallCheck().toMillis();
        periodic.add(scheduler.scheduleWithFixedDelay(this::recoverStalled, sweepEvery, sweepEvery,
                TimeUnit.MILLISECONDS));
        executor.execute(this::fetchLoop);
    }

    /** Stops taking new jobs (the first step of {@link #stop}, so that several workers can stop fetching at once). */
    public synchronized void stopFetching() {
        fetching = false;
    }

    /**
     * Stops fetching, waits up to {@code grace} for running jobs to finish, then hands the rest back to waiting at
     * once (another replica takes them now, not after the lock runs out). Returns how many were handed back.
     */
    public long stop(Duration grace) {
        synchronized (this) {
            fetching = false;
            periodic.forEach(f -> f.cancel(false));
            periodic.clear();
        }
        Thread loop = loopThread;
        if (loop != null) {
            loop.interrupt();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (slotFreed) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    slotFreed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<FetchedJob> unfinished = new ArrayList<>();
        for (Running r : running.values()) {
            if (r.settled.compareAndSet(false, true)) {
                unfinished.add(r.job.fetched());
                r.job.markLockLost();
            }
        }
        long handedBack = 0;
        if (!unfinished.isEmpty()) {
            try {
                handedBack = queue.release(unfinished);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not hand " + unfinished.size() + " jobs of " + queue.name()
                        + " back; they return when their lock runs out", e);
            }
            for (Running r : running.values()) {
                Thread t = r.thread;
                if (t != null) {
                    t.interrupt();
                }
            }
        }
        return handedBack;
    }

    public boolean isFetching() {
        return fetching;
    }

    public int activeCount() {
        return inFlight.get();
    }

    /** How long ago the last fetch (or wait for new jobs) succeeded; grows while Redis is unreachable. */
    public long lastFetchAgeMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFetchOkNanos);
    }

    public String lastError() {
        return lastError;
    }

    private String newToken() {
        return tokenPrefix + tokens.incrementAndGet();
    }

    private void fetchLoop() {
        loopThread = Thread.currentThread();
        long pauseMillis = 50;
        try {
            while (fetching) {
                try {
                    int free = options.concurrency() - inFlight.get();
                    if (free <= 0) {
                        awaitFreeSlot();
                        continue;
                    }
                    FetchResult r = queue.fetch(newToken(), free, options.lock(), options.workerId());
                    fetchSucceeded();
                    pauseMillis = 50;
                    if (!r.jobs().isEmpty()) {
                        for (FetchedJob job : r.jobs()) {
                            dispatch(job, r.redisNowMillis());
                        }
                        continue;
                    }
                    Duration wait = switch (r.status()) {
                        case OK, PAUSED -> r.hintMillis() > 0 && r.hintMillis() < MAX_IDLE_WAIT.toMillis()
                                ? Duration.ofMillis(r.hintMillis()) : MAX_IDLE_WAIT;
                        case ACTIVE_LIMIT, RATE_LIMITED -> Duration.ofMillis(Math.min(Math.max(r.hintMillis(), 5), 1000));
                    };
                    if (r.status() == FetchResult.Status.OK || r.status() == FetchResult.Status.PAUSED) {
                        queue.awaitSignal(blocking, wait);
                        fetchSucceeded();
                    } else {
                        Thread.sleep(wait.toMillis());
                    }
                } catch (InterruptedException e) {
                    if (!fetching) {
                        return;
                    }
                } catch (RuntimeException e) {
                    if (!fetching) {
                        return;
                    }
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    LOG.log(Level.FINE, "fetch from " + queue.name() + " failed", e);
                    sleepQuietly(pauseMillis);
                    pauseMillis = Math.min(pauseMillis * 2, 1000);
                }
            }
        } finally {
            loopThread = null;
        }
    }

    private void fetchSucceeded() {
        lastFetchOkNanos = System.nanoTime();
        lastError = null;
    }

    private void awaitFreeSlot() throws InterruptedException {
        synchronized (slotFreed) {
            while (fetching && inFlight.get() >= options.concurrency()) {
                slotFreed.wait(MAX_IDLE_WAIT.toMillis());
            }
        }
    }

    private void dispatch(FetchedJob job, long redisNow) {
        inFlight.incrementAndGet();
        Running r = track(job, redisNow);
        try {
            executor.execute(() -> runChain(r));
        } catch (RuntimeException e) {
            // the executor refused (shutting down): hand the job back at once
            running.remove(job.id());
            inFlight.decrementAndGet();
            queue.release(List.of(job));
            throw e;
        }
    }

    private Running track(FetchedJob job, long redisNow) {
        Running r = new Running(new Job(job, queue, redisNow), redisNow);
        running.put(job.id(), r);
        return r;
    }

    /** Runs a job and, while this worker is fetching, the next ones its completions fetch on the same thread. */
    private void runChain(Running first) {
        Running current = first;
        try {
            while (current != null) {
                current = runOne(current);
            }
        } finally {
            inFlight.decrementAndGet();
            synchronized (slotFreed) {
                slotFreed.notifyAll();
            }
        }
    }

    private Running runOne(Running r) {
        FetchedJob job = r.job.fetched();
        r.thread = Thread.currentThread();
        long timeoutMillis = job.timeoutMillis() > 0 ? job.timeoutMillis() : options.defaultTimeout().toMillis();
        r.timeoutMillis = timeoutMillis;
        r.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        String result = null;
        Throwable failure = null;
        try {
            result = handler.handle(r.job);
        } catch (Throwable t) {
            failure = t;
        } finally {
            r.deadlineNanos = Long.MAX_VALUE;
            r.thread = null;
            Thread.interrupted(); // an interrupt meant for this job must not hit the next one
        }
        running.remove(job.id());
        if (!r.settled.compareAndSet(false, true)) {
            return null; // timed out or handed back meanwhile: that path recorded the outcome
        }
        long runMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.startNanos);
        if (failure != null) {
            recordFailure(job, failure);
            return null;
        }
        if (options.concurrency() > 1) {
            return settleWithOthers(r, result, runMillis);
        }
        try {
            boolean next = fetching;
            String nextToken = next ? newToken() : null;
            RedisJobQueue.Completion c = queue.complete(job, result, next ? 1 : 0, nextToken, options.lock(),
                    options.workerId());
            completed(job, r, runMillis, c.lost());
            if (!c.next().jobs().isEmpty()) {
                if (!fetching) {
                    queue.release(c.next().jobs());
                    return null;
                }
                return track(c.next().jobs().get(0), c.next().redisNowMillis());
            }
        } catch (RuntimeException e) {
            completionNotRecorded(job, e);
        }
        return null;
    }

    private void completed(FetchedJob job, Running r, long runMillis, QueueError lost) {
        if (lost == null) {
            listener.completed(job, Math.max(0, r.redisStartMillis - job.createdMillis()), runMillis);
        } else {
            LOG.info(() -> "job " + queue.name() + "/" + job.id() + " finished but was not recorded: " + lost);
        }
    }

    private void completionNotRecorded(FetchedJob job, RuntimeException e) {
        // Redis unreachable: the job's lock runs out and it is run again (a transactional handler's receipt keeps
        // its effect single)
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.log(Level.WARNING, "could not record completion of " + queue.name() + "/" + job.id(), e);
    }

    /**
     * Group commit of completions: the handler queues its result; whichever handler finds no completion call in
     * flight makes one for everything queued (one script, each job checked against its own lock) and fetches as
     * many next jobs, one for each handler of the batch. The others wait for that call, so every handler still
     * learns its own outcome before it goes on.
     */
    private Running settleWithOthers(Running r, String result, long runMillis) {
        Settlement mine = new Settlement(r, result);
        settlements.add(mine);
        while (!mine.done) {
            if (settling.compareAndSet(false, true)) {
                try {
                    settleQueued();
                } finally {
                    settling.set(false);
                }
                // completions queued after this call's drain: wake one of their handlers to make the next call
                Settlement waiting = settlements.peek();
                if (waiting != null) {
                    LockSupport.unpark(waiting.waiter);
                }
            } else {
                LockSupport.parkNanos(mine, SETTLE_RECHECK_NANOS);
            }
        }
        FetchedJob job = r.job.fetched();
        if (mine.error != null) {
            completionNotRecorded(job, mine.error);
            return null;
        }
        completed(job, r, runMillis, mine.lost);
        return mine.next;
    }

    private void settleQueued() {
        List<Settlement> batch = new ArrayList<>();
        Settlement s;
        while (batch.size() < MAX_SETTLE_BATCH && (s = settlements.poll()) != null) {
            batch.add(s);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<RedisJobQueue.Finished> finished = new ArrayList<>(batch.size());
            for (Settlement b : batch) {
                finished.add(new RedisJobQueue.Finished(b.running.job.fetched(), b.result));
            }
            boolean next = fetching;
            String nextToken = next ? newToken() : null;
            RedisJobQueue.Completions c = queue.completeAll(finished, next ? batch.size() : 0, nextToken,
                    options.lock(), options.workerId());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).lost = c.lost().get(i);
            }
            List<FetchedJob> jobs = c.next().jobs();
            if (!jobs.isEmpty() && !fetching) {
                queue.release(jobs);
            } else {
                for (int i = 0; i < jobs.size(); i++) {
                    batch.get(i).next = track(jobs.get(i), c.next().redisNowMillis());
                }
            }
        } catch (RuntimeException e) {
            for (Settlement b : batch) {
                b.error = e;
            }
        } finally {
            for (Settlement b : batch) {
                b.done = true;
                LockSupport.unpark(b.waiter);
            }
        }
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (Running r : running.values()) {
            if (now - r.deadlineNanos > 0 && r.deadlineNanos != Long.MAX_VALUE) {
                timedOut(r, r.timeoutMillis);
            }
        }
    }

    private void timedOut(Running r, long timeoutMillis) {
        if (!r.settled.compareAndSet(false, true)) {
            return;
        }
        FetchedJob job = r.job.fetched();
        r.job.markLockLost();
        recordFailure(job, new java.util.concurrent.TimeoutException("timed out after " + timeoutMillis + " ms"));
        Thread t = r.thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void recordFailure(FetchedJob job, Throwable failure) {
        Duration retry = retryDelay(job, failure);
        String error = describe(failure);
        try {
            boolean finalFailure = queue.fail(job, error, stackOf(failure), retry);
            listener.failed(job, !finalFailure, error);
        } catch (QueueException e) {
            LOG.info(() -> "failure of " + queue.name() + "/" + job.id() + " not recorded: " + e.getMessage());
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "could not record failure of " + queue.name() + "/" + job.id(), e);
        }
    }

    /** Null = fail for good: a permanent failure, or no attempts left. */
    static Duration retryDelay(FetchedJob job, Throwable failure) {
        if (failure instanceof PermanentJobFailure || job.attemptsMade() >= job.maxAttempts()) {
            return null;
        }
        if (failure instanceof RetryJobLater later && later.after() != null) {
            return later.after();
        }
        return Duration.ofMillis(job.backoff().delayAfter(job.attemptsMade(), ThreadLocalRandom.current()::nextDouble));
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        String text = t instanceof PermanentJobFailure || t instanceof RetryJobLater
                ? m : t.getClass().getName() + (m == null ? "" : ": " + m);
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    private static String stackOf(Throwable t) {
        if (t instanceof PermanentJobFailure || t instanceof RetryJobLater
                || t instanceof java.util.concurrent.TimeoutException) {
            return "";
        }
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > MAX_STACK ? s.substring(0, MAX_STACK) : s;
    }

    private void renewLocks() {
        if (running.isEmpty()) {
            return;
        }
        List<FetchedJob> jobs = new ArrayList<>(running.size());
        for (Running r : running.values()) {
            if (!r.settled.get()) {
                jobs.add(r.job.fetched());
            }
        }
        try {
            for (String lost : queue.extendLocks(jobs, options.lock())) {
                Running r = running.get(lost);
                if (r != null) {
                    r.job.markLockLost();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "lock renewal for " + queue.name() + " failed", e);
        }
    }

    private void recoverStalled() {
        try {
            long[] r = queue.recoverStalled(1000);
            if (r[0] > 0 || r[1] > 0) {
                LOG.info(() -> queue.name() + ": " + r[0] + " stalled jobs back to waiting, " + r[1] + " failed");
                listener.recovered(r[0], r[1]);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "stalled-job check for " + queue.name() + " failed", e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
