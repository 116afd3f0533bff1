package com.advwell.jobs.control;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs one worker holds, and the rule that settles each of them exactly once: whichever comes first of its
 * handler returning, its timeout and a hand-back on shutdown wins, and the others leave it alone. A job counts
 * against the worker's room from its fetch until its outcome is recorded (or given up), which for a completion is
 * after its handler has returned.
 */
final class HeldJobs {

    /** Buffered or running: what the watchdog, the lock renewal and a hand-back look at. */
    private final Map<String, HeldJob> unfinished = new ConcurrentHashMap<>();
    /** The unfinished ones plus those whose outcome is still to be recorded. */
    private final AtomicInteger count = new AtomicInteger();

    HeldJob add(Job job, long redisFetchMillis) {
        count.incrementAndGet();
        HeldJob h = new HeldJob(job, redisFetchMillis);
        unfinished.put(h.id(), h);
        return h;
    }

    /**
     * The handler returned: the job is no longer unfinished, whoever settles it. True when its outcome is the
     * caller's to record; false when the watchdog or a hand-back settled it meanwhile.
     */
    boolean handlerReturned(HeldJob h) {
        unfinished.remove(h.id());
        return h.settled.compareAndSet(false, true);
    }

    /**
     * Settles a job its handler has not returned from (a timeout, a hand-back): true when the caller won and is to
     * record the outcome; the handler's result, should it still come, is then ignored and its progress refused.
     */
    boolean takeOver(HeldJob h) {
        if (!h.settled.compareAndSet(false, true)) {
            return false;
        }
        h.job.markLockLost();
        unfinished.remove(h.id());
        return true;
    }

    /** A settled job's outcome is recorded, or given up: it no longer takes room. */
    void letGo() {
        count.decrementAndGet();
    }

    int count() {
        return count.get();
    }

    boolean noneUnfinished() {
        return unfinished.isEmpty();
    }

    int unfinishedCount() {
        return unfinished.size();
    }

    /** A live view: jobs come and go while the caller iterates. */
    Collection<HeldJob> unfinished() {
        return unfinished.values();
    }

    HeldJob unfinished(String id) {
        return unfinished.get(id);
    }
}
