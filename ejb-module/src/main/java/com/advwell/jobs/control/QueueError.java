package com.advwell.jobs.control;

import com.advwell.platform.errors.Refusal;

/** The negative codes the queue scripts return, mirrored once and turned into {@link QueueException}s here. */
public enum QueueError {
    JOB_NOT_FOUND(-1, "no such job", Refusal.NOT_FOUND),
    LOCK_LOST(-2, "the lock of this job is held by someone else, or the job was handed back", Refusal.LOCK_LOST),
    WRONG_STATE(-3, "the job is not in a state that allows this", Refusal.WRONG_STATE);

    private final long code;
    private final String message;
    private final Refusal refusal;

    QueueError(long code, String message, Refusal refusal) {
        this.code = code;
        this.message = message;
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }

    /** Throws for a negative script reply, returns the reply otherwise. */
    static long check(long reply, String queue, String jobId) {
        if (reply >= 0) {
            return reply;
        }
        for (QueueError e : values()) {
            if (e.code == reply) {
                throw new QueueException(e, "queue " + queue + ", job " + jobId + ": " + e.message);
            }
        }
        throw new IllegalStateException("unknown queue script reply " + reply);
    }
}
