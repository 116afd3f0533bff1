package com.advwell.jobs.control;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The job a handler runs: what it is, which attempt this is, and the two things a handler may say while it runs
 * (progress, log lines). Both are refused once the lock is lost, so a stale handler cannot write over the attempt
 * another consumer now runs.
 */
public final class Job {

    private final FetchedJob fetched;
    private final RedisJobQueue queue;
    private final AtomicBoolean lockLost = new AtomicBoolean();
    private final long startedMillis;

    Job(FetchedJob fetched, RedisJobQueue queue, long startedMillis) {
        this.fetched = fetched;
        this.queue = queue;
        this.startedMillis = startedMillis;
    }

    /** When this attempt was fetched, epoch ms by Redis' clock. */
    public long startedMillis() {
        return startedMillis;
    }

    /** The id its producer gave (or the queue generated); unique within its {@link #tenant()} and queue. */
    public String id() {
        return JobRef.idOf(fetched.id());
    }

    /** The job's ref in the queue: unique within the queue whatever the tenant (the key of its receipt). */
    String ref() {
        return fetched.id();
    }

    public String queue() {
        return fetched.queue();
    }

    public String type() {
        return fetched.type();
    }

    /** The payload as the producer sent it (JSON text). */
    public String payload() {
        return fetched.payload();
    }

    /** 1 for the first attempt. */
    public int attempt() {
        return fetched.attemptsMade();
    }

    public int maxAttempts() {
        return fetched.maxAttempts();
    }

    /** The owning tenant, or null for a system job. */
    public String tenant() {
        return fetched.tenant();
    }

    /** When the job was added, epoch ms (Redis time); with the id it identifies this job for idempotent effects. */
    public long createdMillis() {
        return fetched.createdMillis();
    }

    /** True once this consumer lost the job's lock: its result will not be recorded; stop as soon as possible. */
    public boolean lockLost() {
        return lockLost.get();
    }

    void markLockLost() {
        lockLost.set(true);
    }

    FetchedJob fetched() {
        return fetched;
    }

    /** Reports progress (0-100); visible in the job's view and as a progress event. */
    public void progress(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be between 0 and 100: " + percent);
        }
        queue.progress(fetched, percent);
    }

    /** Appends a line to the job's log (the last 100 lines are kept). */
    public void log(String line) {
        queue.log(fetched, line.length() > 2000 ? line.substring(0, 2000) : line);
    }
}
