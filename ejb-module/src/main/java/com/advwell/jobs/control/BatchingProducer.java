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

/**
 * Group commit for concurrent producers of one queue: single adds that arrive while a write is in flight are
 * written together by the next one (one script call, and one {@code WAIT} when replicas must confirm). Each add
 * still gets its own id and its own acknowledgement, and is acknowledged only after its batch is written (and
 * confirmed by {@code replicas} replicas); if the write fails, every add of that batch fails with it.
 *
 * <p>One producer adding one job at a time gains nothing here (it has nothing to share a write with): it should
 * call {@link RedisJobQueue#add} directly. This is for many callers at once, such as the REST API under load.
 */
public final class BatchingProducer {

    /** The most jobs written by one call; larger backlogs are written in several. */
    static final int MAX_BATCH = 1000;

    private record Pending(JobSpec spec, CompletableFuture<RedisJobQueue.Added> ack) {}

    private final RedisJobQueue queue;
    private final Executor executor;
    private final int replicas;
    private final Duration waitTimeout;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * @param executor runs the writes (the container's managed executor in production); at most one write of this
     *     producer is in flight at a time. Callers of {@link #add} must not be threads of a bounded executor shared
     *     with this one: if all its threads waited in {@code add}, none would be left to write.
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
        Pending p = new Pending(spec, new CompletableFuture<>());
        pending.add(p);
        startWriting();
        return p.ack();
    }

    /** Adds one job and waits for its acknowledgement; throws what the write threw. */
    public RedisJobQueue.Added add(JobSpec spec) {
        try {
            return addAsync(spec).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
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
        // an add queued between the last take and the release above found the write still running: start anew
        startWriting();
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
        List<JobSpec> specs = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            specs.add(p.spec());
        }
        List<RedisJobQueue.Added> added;
        try {
            added = queue.add(specs, replicas, waitTimeout);
        } catch (RuntimeException e) {
            for (Pending p : batch) {
                p.ack().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).ack().complete(added.get(i));
        }
    }

    private void failAll(RuntimeException e) {
        Pending p;
        while ((p = pending.poll()) != null) {
            p.ack().completeExceptionally(e);
        }
    }
}
