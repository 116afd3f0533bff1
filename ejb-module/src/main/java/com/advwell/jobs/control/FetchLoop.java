package com.advwell.jobs.control;

import com.advwell.platform.redis.RedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker's fetch loop, the local buffer of locked jobs it fills, and the runners that drain it. They are one class
 * because the loop's state, the runners' counts and the hand-over of the loop to a runner form one lock-free
 * protocol (docs/queues.md, "Inside a worker").
 */
final class FetchLoop {

    // the worker's logger: operators tune the consumer's logging in one place
    private static final Logger LOG = Logger.getLogger(QueueWorker.class.getName());
    private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(1);
    /** At most this many completions and this many fetched jobs per script call (a call blocks Redis meanwhile). */
    private static final int MAX_BATCH = 200;
    /** An idle runner gives its executor thread back after this. */
    private static final long RUNNER_LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The loop, waiting for a runner to finish while the buffer is full, looks again at least this often. */
    private static final long LOOP_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final int LOOP_BUSY = 0;
    /** Parked in Java: a runner that finishes a job unparks it. */
    private static final int LOOP_PARKED = 1;
    /** Blocked on Redis until a new job arrives: a runner that finishes a job records it itself. */
    private static final int LOOP_WAITING_ON_REDIS = 2;

    /**
     * A job whose handler returned, waiting for its completion to be recorded with others. {@code retryUntilNanos}
     * is null until a call that should have recorded it failed, then the time to stop trying.
     */
    private record Done(HeldJob held, String result, long runMillis, Long retryUntilNanos) {
        Done(HeldJob held, String result, long runMillis) {
            this(held, result, runMillis, null);
        }
    }

    /** What one {@link #recordAndFetch} call did: how many jobs it asked for, and what it got. */
    private record Fetch(int asked, FetchResult result) {
        /** Fewer jobs than asked for: the queue was empty (or paused, or at a limit) after this call. */
        boolean drained() {
            return asked > 0 && result.jobs().size() < asked;
        }
    }

    private static final Fetch NOTHING_TO_DO = new Fetch(0, FetchResult.NONE);

    /** What {@link #take} returns to the idle runner chosen to take the fetch loop over. */
    private static final HeldJob LOOP_ROLE = new HeldJob(null, 0);

    /**
     * A task on the executor: one of up to {@code concurrency} runners that take buffered jobs and run them, or the
     * fetch loop. The two swap roles when the loop fetches the only jobs there are: the loop thread runs the first
     * job itself at once and an idle runner takes the loop over (leader/followers), so a job that arrives at an idle
     * worker waits for no thread hand-off.
     */
    private final class Runner implements Runnable {
        volatile Thread thread;
        final AtomicBoolean idle = new AtomicBoolean();
        volatile boolean becomeLoop;
        private boolean loopRole;

        Runner(boolean loopRole) {
            this.loopRole = loopRole;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            try {
                while (true) {
                    HeldJob h;
                    if (loopRole) {
                        h = fetchLoop();
                        if (h == null) {
                            return;
                        }
                        loopRole = false; // handOverLoop() counted this thread as a runner
                    } else {
                        h = take(this);
                        if (h == null) {
                            return;
                        }
                        if (h == LOOP_ROLE) {
                            loopRole = true;
                            continue;
                        }
                    }
                    runJob(h);
                }
            } finally {
                if (!loopRole) {
                    awake.decrementAndGet();
                    runners.decrementAndGet();
                    // jobs buffered while this runner was deciding to leave must not wait for the next refill
                    if (fetching && bufferedCount.get() > 0) {
                        ensureRunners();
                    }
                }
            }
        }
    }

    private final RedisJobQueue queue;
    private final UnifiedJedis blocking;
    private final WorkerOptions options;
    private final QueueWorker.Handler handler;
    private final Executor executor;
    private final QueueWorker.Listener listener;
    private final HeldJobs held;
    private final HandlerPace pace;
    /** Jobs fetched and locked that no runner has taken yet. */
    private final Deque<HeldJob> buffer = new ConcurrentLinkedDeque<>();

    private final AtomicInteger bufferedCount = new AtomicInteger();
    private final Queue<Done> finished = new ConcurrentLinkedQueue<>();
    /** One script call at a time, whether the loop, a runner or stop() makes it. */
    private final AtomicBoolean callInFlight = new AtomicBoolean();

    private final Deque<Runner> idleRunners = new ConcurrentLinkedDeque<>();
    private final AtomicInteger runners = new AtomicInteger();
    /** Runners not parked (running a job, or between jobs). */
    private final AtomicInteger awake = new AtomicInteger();

    private final AtomicInteger executing = new AtomicInteger();
    /** Runners recording completions themselves (while the loop sleeps on Redis). */
    private final AtomicInteger recordingRunners = new AtomicInteger();

    private final Object slotFreed = new Object();
    private final AtomicLong tokens = new AtomicLong();
    private final String tokenPrefix;
    private volatile int loopState = LOOP_BUSY;
    private volatile boolean fetching;
    private volatile long lastFetchOkNanos = System.nanoTime();
    private volatile String lastError;
    private volatile Thread loopThread;

    FetchLoop(
            RedisJobQueue queue,
            UnifiedJedis blocking,
            WorkerOptions options,
            QueueWorker.Handler handler,
            Executor executor,
            QueueWorker.Listener listener,
            HeldJobs held,
            HandlerPace pace) {
        this.queue = queue;
        this.blocking = blocking;
        this.options = options;
        this.handler = handler;
        this.executor = executor;
        this.listener = listener;
        this.held = held;
        this.pace = pace;
        this.tokenPrefix =
                options.workerId() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Starts fetching: the loop runs as a task on the executor. */
    void start() {
        fetching = true;
        lastFetchOkNanos = System.nanoTime();
        executor.execute(new Runner(true));
    }

    void stopFetching() {
        fetching = false;
    }

    boolean isFetching() {
        return fetching;
    }

    int executing() {
        return executing.get();
    }

    long lastFetchOkNanos() {
        return lastFetchOkNanos;
    }

    String lastError() {
        return lastError;
    }

    /**
     * After {@link #stopFetching}: hands the buffered jobs back at once, waits up to {@code grace} for running jobs
     * to finish, records what finished, then hands the rest back too. Returns how many were handed back.
     */
    long stop(Duration grace) {
        LockSupport.unpark(loopThread); // a loop parked in Java looks at `fetching` now (one on Redis within 1 s)
        for (Runner r : idleRunners) {
            LockSupport.unpark(r.thread);
        }
        List<HeldJob> buffered = new ArrayList<>();
        HeldJob b;
        while ((b = buffer.poll()) != null) {
            bufferedCount.decrementAndGet();
            buffered.add(b);
        }
        long handedBack = handBack(buffered);
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (slotFreed) {
            while (executing.get() > 0 && System.nanoTime() < deadline) {
                try {
                    slotFreed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (callInFlight.get() && System.nanoTime() < until) {
            sleepQuietly(1); // a runner recording its last completions
        }
        settleFinished();
        List<HeldJob> unfinished = new ArrayList<>(held.unfinished());
        handedBack += handBack(unfinished);
        for (HeldJob h : unfinished) {
            Thread t = h.thread;
            if (t != null) {
                t.interrupt();
            }
        }
        return handedBack;
    }

    /** Releases the given jobs that nobody has settled yet; returns how many went back to waiting. */
    private long handBack(List<HeldJob> jobs) {
        List<FetchedJob> back = new ArrayList<>();
        for (HeldJob h : jobs) {
            if (held.takeOver(h)) {
                back.add(h.job.fetched());
                held.letGo();
            }
        }
        if (back.isEmpty()) {
            return 0;
        }
        try {
            return queue.release(back);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "could not hand " + back.size() + " jobs of " + queue.name()
                            + " back; they return when their lock runs out",
                    e);
            return 0;
        }
    }

    private String newToken() {
        return tokenPrefix + tokens.incrementAndGet();
    }

    // ---- the fetch loop

    /**
     * The fetch loop, on the calling runner's thread. Returns null when the worker stops, or a job for this thread to
     * run when it has handed the loop over to another thread.
     */
    private HeldJob fetchLoop() {
        Thread me = Thread.currentThread();
        loopThread = me;
        long pauseMillis = 50;
        try {
            while (fetching) {
                try {
                    if (finished.isEmpty() && room() <= 0) {
                        // every slot and the buffer are taken: nothing to fetch until a runner finishes a job
                        fetchSucceeded();
                        parkLoop(LOOP_PARK_NANOS);
                        continue;
                    }
                    Fetch f = recordAndFetch(false);
                    if (f == null) {
                        // a runner is recording completions right now
                        parkLoop(TimeUnit.MICROSECONDS.toNanos(200));
                        continue;
                    }
                    pauseMillis = 50;
                    if (f.drained() && !f.result().jobs().isEmpty()) {
                        // the queue is empty now and this thread would only sleep on Redis: it runs the first job
                        // itself, and another thread sleeps on Redis instead
                        HeldJob first = buffer.pollFirst();
                        if (first != null) {
                            bufferedCount.decrementAndGet();
                            if (handOverLoop()) {
                                ensureRunners();
                                return first;
                            }
                            buffer.addFirst(first);
                            bufferedCount.incrementAndGet();
                        }
                    }
                    ensureRunners();
                    if (!f.drained()) {
                        continue;
                    }
                    // nothing more to take now: sleep until a new job (or the next delayed one) is due, without
                    // asking again first (the fetch that emptied the queue said so, and says how long to sleep)
                    FetchResult r = f.result();
                    Duration wait = switch (r.status()) {
                        case OK, PAUSED ->
                            r.hintMillis() > 0 && r.hintMillis() < MAX_IDLE_WAIT.toMillis()
                                    ? Duration.ofMillis(r.hintMillis())
                                    : MAX_IDLE_WAIT;
                        case ACTIVE_LIMIT, RATE_LIMITED ->
                            Duration.ofMillis(Math.min(Math.max(r.hintMillis(), 5), 1000));
                    };
                    if (r.status() == FetchResult.Status.OK || r.status() == FetchResult.Status.PAUSED) {
                        waitOnRedis(wait);
                    } else {
                        parkLoop(wait.toNanos());
                    }
                } catch (RuntimeException e) {
                    loopState = LOOP_BUSY;
                    if (!fetching) {
                        return null;
                    }
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    LOG.log(Level.FINE, "fetch from " + queue.name() + " failed", e);
                    sleepQuietly(pauseMillis);
                    pauseMillis = Math.min(pauseMillis * 2, 1000);
                }
            }
            return null;
        } finally {
            if (loopThread == me) {
                loopState = LOOP_BUSY;
                loopThread = null;
            }
        }
    }

    /**
     * Passes the fetch loop to an idle runner (or a new task) so that this thread can run a job; false when every
     * runner is busy (the job then waits for one like the others).
     */
    private boolean handOverLoop() {
        Runner r = claimIdleRunner();
        if (r != null) {
            // r leaves the runners for the loop and this thread takes its place: the count of runners stays
            awake.incrementAndGet();
            loopThread = null;
            r.becomeLoop = true;
            LockSupport.unpark(r.thread);
            return true;
        }
        Thread me = loopThread;
        loopThread = null;
        if (startTask(true)) {
            return true; // the new task is the loop; this thread is the runner startTask counted
        }
        loopThread = me;
        return false;
    }

    /** Parks the loop until a runner finishes a job (or {@code nanos} pass). */
    private void parkLoop(long nanos) {
        loopState = LOOP_PARKED;
        try {
            // re-check after publishing the state: a runner that finished before it saw LOOP_BUSY and did not wake us
            if (finished.isEmpty() && fetching) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            loopState = LOOP_BUSY;
        }
        Thread.interrupted(); // stop() interrupts; the loop's condition decides
    }

    /** Sleeps on the queue's wake-up list; meanwhile runners record their own completions. */
    private void waitOnRedis(Duration wait) {
        loopState = LOOP_WAITING_ON_REDIS;
        try {
            if (!finished.isEmpty()) {
                return; // a runner finished before it saw the new state: record that first
            }
            queue.awaitSignal(blocking, wait);
            fetchSucceeded();
        } finally {
            loopState = LOOP_BUSY;
        }
    }

    private void fetchSucceeded() {
        lastFetchOkNanos = System.nanoTime();
        lastError = null;
    }

    /** How many more jobs this worker would take now: a slot per runner plus the prefetch, minus what it holds. */
    private int room() {
        return fetching ? options.concurrency() + pace.prefetch() - held.count() : 0;
    }

    /**
     * One script call: records the completions finished so far and, unless {@code recordOnly}, fetches as many jobs
     * as there is room for. Returns null when another thread is doing this right now; {@link #NOTHING_TO_DO} when
     * there was nothing to record and no room.
     */
    private Fetch recordAndFetch(boolean recordOnly) {
        if (!callInFlight.compareAndSet(false, true)) {
            return null;
        }
        List<Done> batch = new ArrayList<>();
        boolean recorded = false;
        try {
            Done d;
            while (batch.size() < MAX_BATCH && (d = finished.poll()) != null) {
                batch.add(d);
            }
            int holding = held.count() - batch.size();
            int room = fetching && !recordOnly
                    ? Math.min(MAX_BATCH, options.concurrency() + pace.prefetch() - holding)
                    : 0;
            if (batch.isEmpty() && room <= 0) {
                return NOTHING_TO_DO;
            }
            int need = Math.max(0, Math.min(room, options.concurrency() - holding));
            int extra = Math.max(0, room - need);
            String token = room > 0 ? newToken() : null;
            FetchResult next;
            if (batch.isEmpty()) {
                next = queue.fetch(token, need, extra, options.lock(), options.workerId());
            } else {
                List<RedisJobQueue.Finished> done = new ArrayList<>(batch.size());
                for (Done b : batch) {
                    done.add(new RedisJobQueue.Finished(b.held().job.fetched(), b.result()));
                }
                RedisJobQueue.Completions c =
                        queue.completeAll(done, need, extra, token, options.lock(), options.workerId());
                recorded = true;
                for (int i = 0; i < batch.size(); i++) {
                    held.letGo();
                    completed(batch.get(i), c.lost().get(i));
                }
                next = c.next();
            }
            if (room > 0) {
                fetchSucceeded();
            }
            List<FetchedJob> jobs = next.jobs();
            if (!jobs.isEmpty()) {
                if (!fetching) {
                    queue.release(jobs);
                } else {
                    for (FetchedJob job : jobs) {
                        HeldJob h = held.add(new Job(job, queue, next.redisNowMillis()), next.redisNowMillis());
                        buffer.addLast(h);
                        bufferedCount.incrementAndGet();
                    }
                }
            }
            return new Fetch(Math.max(0, room), next);
        } catch (RuntimeException e) {
            if (!recorded) {
                completionsNotRecorded(batch, e);
            }
            throw e;
        } finally {
            callInFlight.set(false);
        }
    }

    /**
     * Records what has finished, on the calling thread (a runner while the loop sleeps on Redis, or stop()), without
     * fetching: while this replica's loop sleeps on the queue's wake-up list the queue was empty, and a job that
     * arrives goes to the loop Redis wakes first (they wait in line, so replicas take turns). Fetching here instead
     * let the busiest replica take every arrival on its completions, before idle replicas were woken (issue 12: one
     * replica took 84 % of 50 ms jobs while six ran). Under a backlog the loop never sleeps, and fetches with its
     * completions as before.
     */
    private void settleFinished() {
        while (!finished.isEmpty()) {
            try {
                if (recordAndFetch(true) == null) {
                    // another thread is recording right now, and looks at what is left when it is done (spinning
                    // here would only take the CPU from it and from Redis)
                    return;
                }
            } catch (RuntimeException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                return;
            }
        }
    }

    private void completed(Done d, QueueError lost) {
        HeldJob h = d.held();
        FetchedJob job = h.job.fetched();
        if (lost == null) {
            long buffered = TimeUnit.NANOSECONDS.toMillis(h.startedNanos - h.fetchedNanos);
            listener.completed(job, Math.max(0, h.redisFetchMillis - job.createdMillis()) + buffered, d.runMillis());
        } else {
            LOG.info(() -> "job " + queue.name() + "/" + job.id() + " finished but was not recorded: " + lost);
        }
    }

    /**
     * A call that should have recorded these completions failed. When it failed the way a failover fails, the jobs
     * are most likely still ours on the new master (or the call did complete them and only its reply was lost):
     * they go back to be recorded by the next calls, with the same lock tokens, which the script accepts once (see
     * completeJobs-1.lua), until {@link WorkerOptions#completionRetry()} has passed since the first failure. The
     * loop's own pause between failed calls is the backoff. Otherwise, or once stopping, they are given up: each
     * job's lock runs out and it runs again (a transactional handler's receipt keeps its effect single).
     */
    private void completionsNotRecorded(List<Done> batch, RuntimeException e) {
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        boolean retry = fetching && RedisClients.failoverError(e);
        long now = System.nanoTime();
        int retried = 0;
        for (Done d : batch) {
            long until = d.retryUntilNanos() != null
                    ? d.retryUntilNanos()
                    : now + options.completionRetry().toNanos();
            if (retry && now - until < 0) {
                finished.add(new Done(d.held(), d.result(), d.runMillis(), until));
                retried++;
            } else {
                held.letGo();
                LOG.log(
                        Level.WARNING,
                        "could not record completion of " + queue.name() + "/"
                                + d.held().job.fetched().id() + "; it runs again once its lock runs out",
                        e);
            }
        }
        if (retried > 0) {
            int n = retried;
            String why = lastError;
            LOG.info(() -> "could not record " + n + " completions of " + queue.name() + " (" + why
                    + "); retrying with their lock tokens");
        }
    }

    // ---- runners

    /** Wakes (or starts) runners until enough are awake to drain the buffer soon at the handlers' recent pace. */
    private void ensureRunners() {
        int buffered = bufferedCount.get();
        if (buffered <= 0 || !fetching) {
            return;
        }
        long per = pace.perJobNanos();
        long wanted = pace.runnersToDrain(buffered, per);
        // with quick handlers a runner in the middle of a job takes the next one soon; with slow ones only a runner
        // between jobs will
        long available =
                (HandlerPace.quick(per) ? awake.get() : awake.get() - executing.get()) - recordingRunners.get();
        while (available < wanted && wakeRunner()) {
            available++;
        }
    }

    /** For the watchdog: wakes runners when buffered jobs wait while every awake runner is in a (slow) job. */
    void wakeRunnersBehindSlowJobs() {
        int buffered = bufferedCount.get();
        if (buffered > 0 && awake.get() <= executing.get()) {
            for (int i = 0; i < buffered && wakeRunner(); i++) {
                // each woken runner takes one
            }
        }
    }

    /** Unparks an idle runner, or starts one if fewer than {@code concurrency} exist. False when neither is possible. */
    private boolean wakeRunner() {
        Runner r = claimIdleRunner();
        if (r != null) {
            awake.incrementAndGet();
            LockSupport.unpark(r.thread);
            return true;
        }
        return startTask(false);
    }

    /** Takes a parked runner out of the idle list (it is then the caller's to unpark), or null when none is idle. */
    private Runner claimIdleRunner() {
        Runner r;
        while ((r = idleRunners.pollFirst()) != null) {
            if (r.idle.compareAndSet(true, false)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Counts one more awake runner, if fewer than {@code concurrency} exist, and starts a task on the executor: a
     * runner, or (for {@link #handOverLoop}) the loop, the calling thread then being the runner counted.
     */
    private boolean startTask(boolean loopRole) {
        int n;
        do {
            n = runners.get();
            if (n >= options.concurrency()) {
                return false;
            }
        } while (!runners.compareAndSet(n, n + 1));
        awake.incrementAndGet();
        try {
            executor.execute(new Runner(loopRole));
            return true;
        } catch (RuntimeException e) {
            // the executor refused (shutting down): the buffered jobs are handed back by stop()
            awake.decrementAndGet();
            runners.decrementAndGet();
            LOG.log(Level.FINE, "could not start a task for " + queue.name(), e);
            return false;
        }
    }

    /** The next buffered job, waiting for one up to the linger time; null when the runner should end. */
    private HeldJob take(Runner me) {
        while (true) {
            if (me.becomeLoop) {
                me.becomeLoop = false;
                return LOOP_ROLE;
            }
            if (!fetching) {
                return null;
            }
            HeldJob h = buffer.pollFirst();
            if (h != null) {
                bufferedCount.decrementAndGet();
                return h;
            }
            me.idle.set(true);
            idleRunners.addFirst(me);
            awake.decrementAndGet();
            if (!buffer.isEmpty() || !fetching) {
                if (me.idle.compareAndSet(true, false)) {
                    idleRunners.remove(me);
                    awake.incrementAndGet();
                }
                continue;
            }
            long until = System.nanoTime() + RUNNER_LINGER_NANOS;
            while (me.idle.get()) {
                long left = until - System.nanoTime();
                if (left <= 0 || !fetching) {
                    if (me.idle.compareAndSet(true, false)) {
                        idleRunners.remove(me);
                        awake.incrementAndGet();
                        return null;
                    }
                    break; // woken just now: look again
                }
                LockSupport.parkNanos(this, left);
            }
        }
    }

    private void runJob(HeldJob h) {
        executing.incrementAndGet();
        if (bufferedCount.get() > 0) {
            ensureRunners();
        }
        FetchedJob job = h.job.fetched();
        long timeoutMillis = job.timeoutMillis() > 0
                ? job.timeoutMillis()
                : options.defaultTimeout().toMillis();
        long start = System.nanoTime();
        h.started(Thread.currentThread(), timeoutMillis, start);
        String result = null;
        Throwable failure = null;
        try {
            result = handler.handle(h.job);
        } catch (Throwable t) {
            failure = t;
        } finally {
            h.returned();
            Thread.interrupted(); // an interrupt meant for this job must not hit the next one
        }
        long took = System.nanoTime() - start;
        pace.ran(took);
        if (held.handlerReturned(h)) {
            if (failure != null) {
                recordFailure(job, failure);
                held.letGo();
            } else {
                finished.add(new Done(h, result, TimeUnit.NANOSECONDS.toMillis(took)));
            }
        } // else timed out or handed back meanwhile: that path recorded the outcome
        executing.decrementAndGet();
        if (!fetching) {
            settleFinished();
            synchronized (slotFreed) {
                slotFreed.notifyAll();
            }
            return;
        }
        switch (loopState) {
            case LOOP_PARKED -> LockSupport.unpark(loopThread);
            case LOOP_WAITING_ON_REDIS -> {
                // a Redis round trip: jobs that arrive meanwhile go to another runner, not wait for this one
                recordingRunners.incrementAndGet();
                try {
                    settleFinished();
                } finally {
                    recordingRunners.decrementAndGet();
                }
            }
            default -> {
                // the loop is busy: it records this completion with its next call
            }
        }
    }

    /** Records a failed attempt: retried after its delay, or failed for good (see {@link FailurePolicy}). */
    void recordFailure(FetchedJob job, Throwable failure) {
        Duration retry = FailurePolicy.retryDelay(job, failure);
        String error = FailurePolicy.describe(failure);
        try {
            boolean finalFailure = queue.fail(job, error, FailurePolicy.stackTrace(failure), retry);
            listener.failed(job, !finalFailure, error);
        } catch (QueueException e) {
            LOG.info(() -> "failure of " + queue.name() + "/" + job.id() + " not recorded: " + e.getMessage());
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "could not record failure of " + queue.name() + "/" + job.id(), e);
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
