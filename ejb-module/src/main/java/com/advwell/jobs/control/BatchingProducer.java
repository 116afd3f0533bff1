package com.advwell.jobs.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit for concurrent producers of one queue: single adds that arrive while a write is in flight are
 * written together by the next one (one script call, and one {@code WAIT} when replicas must confirm). Each add
 * still gets its own id and its own acknowledgement, and is acknowledged only after its batch is written (and
 * confirmed by {@code replicas} replicas); if the write fails, every add of that batch fails with it, an {@link Error}
 * included.
 *
 * <p>A caller of {@link #add} writes on its own thread (flat combining): when no write is in flight it takes every
 * pending add, its own among them, and writes them; otherwise it parks until the write in flight has taken and
 * acknowledged its add, or until that write ends with its add still pending, and then it may write the next batch
 * itself. Whoever ends a write and still sees adds pending wakes the first of them (or starts a write on the
 * executor for an {@link #addAsync}), so no add waits for a write that nobody will make. No thread hop: handing
 * each write to a managed executor cost a context capture per submit (a {@code ServiceLoader} scan of the class
 * path in Payara's {@code ContextSetupProviderImpl}), 13 % of a replica's CPU under REST adds (issue 12's profiles).
 *
 * <p>One producer adding one job at a time gains nothing here (it has nothing to share a write with): it should
 * call {@link RedisJobQueue#add} directly. This is for many callers at once, such as the REST API under load.
 */
public final class BatchingProducer {

    /** The most jobs written by one call; larger backlogs are written in several. */
    static final int MAX_BATCH = 1000;

    /** One add waiting for its write; {@code waiter} is the thread parked in {@link #add}, null for an async add. */
    private record Pending(JobSpec spec, CompletableFuture<RedisJobQueue.Added> ack, Thread waiter) {}

    private final RedisJobQueue queue;
    private final Executor executor;
    private final int replicas;
    private final Duration waitTimeout;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * @param executor runs the writes of {@link #addAsync} (callers of {@link #add} write on their own thread); at most
     *     one write of this producer is in flight at a time
     * @param replicas how many Redis replicas must confirm each write before it is acknowledged (0 = none)
     */
    public BatchingProducer(RedisJobQueue queue, Executor executor, int replicas, Duration waitTimeout) {
        this.queue = queue;
        this.executor = executor;
        this.replicas = replicas;
        this.waitTimeout = waitTimeout;
    }

    /** Adds one job; the future completes once the job is written (and confirmed), or fails with the reason. */
    public CompletableFuture<RedisJobQueue.Added> addAsync(JobSpec spec) {
        Pending p = new Pending(spec, new CompletableFuture<>(), null);
        pending.add(p);
        startWriting();
        return p.ack();
    }

    /**
     * Adds one job and waits for its acknowledgement, writing it (with the adds pending meanwhile) on this thread when
     * no write is in flight; throws what the write threw.
     */
    public RedisJobQueue.Added add(JobSpec spec) {
        Pending p = new Pending(spec, new CompletableFuture<>(), Thread.currentThread());
        pending.add(p);
        boolean interrupted = false;
        while (!p.ack().isDone()) {
            if (writing.compareAndSet(false, true)) {
                try {
                    List<Pending> batch = take();
                    if (!batch.isEmpty()) {
                        write(batch);
                    }
                } finally {
                    writing.set(false);
                }
                handOff();
            } else {
                // the write in flight either took this add (and unparks us once it is acknowledged) or did not (and
                // its writer unparks the first pending add when it is done)
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // parking again must wait, not spin; the flag is restored below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            return p.ack().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void startWriting() {
        if (!pending.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                executor.execute(this::writeAll);
            } catch (RuntimeException e) {
                // the executor refused (shutting down): fail what is queued instead of leaving callers waiting
                writing.set(false);
                failAll(e);
            }
        }
    }

    private void writeAll() {
        try {
            List<Pending> batch;
            while (!(batch = take()).isEmpty()) {
                write(batch);
            }
        } finally {
            writing.set(false);
        }
        // an add queued between the last take and the release above found the write still running
        handOff();
    }

    /**
     * After releasing the write: an add still pending found the write in flight when it tried, and waits for whoever
     * ended that write. A waiting caller of {@link #add} is woken to write itself; an async add gets a write on the
     * executor.
     */
    private void handOff() {
        Pending head = pending.peek();
        if (head == null) {
            return;
        }
        if (head.waiter() != null) {
            LockSupport.unpark(head.waiter());
        } else {
            startWriting();
        }
    }

    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        Pending p;
        while (batch.size() < MAX_BATCH && (p = pending.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }

    private void write(List<Pending> batch) {
        try {
            List<JobSpec> specs = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                specs.add(p.spec());
            }
            List<RedisJobQueue.Added> added = queue.add(specs, replicas, waitTimeout);
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                p.ack().complete(added.get(i));
                wake(p);
            }
        } catch (RuntimeException | Error e) {
            // whatever failed, wherever: each add of the batch not yet acknowledged fails with it, or its caller would
            // wait for ever (an HTTP thread lost per add); an Error reaches each caller through its own add
            for (Pending p : batch) {
                if (p.ack().completeExceptionally(e)) {
                    wake(p);
                }
            }
        }
    }

    private static void wake(Pending p) {
        if (p.waiter() != null && p.waiter() != Thread.currentThread()) {
            LockSupport.unpark(p.waiter());
        }
    }

    private void failAll(RuntimeException e) {
        Pending p;
        while ((p = pending.poll()) != null) {
            p.ack().completeExceptionally(e);
            wake(p);
        }
    }
}
