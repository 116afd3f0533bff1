package com.advwell.jobs.boundary;

import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.JobTooLargeException;
import com.advwell.jobs.control.JobsException;
import com.advwell.jobs.control.NotDurableException;
import com.advwell.jobs.control.QueueException;
import com.advwell.jobs.control.UnknownQueueException;
import com.advwell.platform.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The queue engine's exceptions as problem documents. The engine lives in the EJB module and knows nothing of HTTP,
 * so its exceptions ({@link JobsException}) are mapped here rather than in {@code Problems}, by one mapper.
 */
public final class QueueProblemMappers {

    private QueueProblemMappers() {
    }

    static Problem of(JobsException e) {
        if (e instanceof UnknownQueueException) {
            return new Problem(404, "unknown-queue", "Unknown queue", e.getMessage(), null, null);
        }
        if (e instanceof InvalidJobException invalid) {
            return new Problem(400, "invalid-field", "Invalid field", e.getMessage(), invalid.field(), null);
        }
        if (e instanceof JobTooLargeException) {
            return new Problem(413, "payload-too-large", "Payload too large", e.getMessage(), "payload", null);
        }
        if (e instanceof NotDurableException) {
            // nothing was acknowledged: adding again, with the same ids, is safe
            return new Problem(503, "not-durable", "Not confirmed by a Redis replica",
                    e.getMessage() + "; retry with the same job ids", null, 1);
        }
        if (e instanceof QueueException q) {
            return switch (q.error()) {
                case JOB_NOT_FOUND -> new Problem(404, "not-found", "Not found", q.getMessage(), null, null);
                case WRONG_STATE -> new Problem(409, "wrong-state", "Conflict", q.getMessage(), null, null);
                case LOCK_LOST -> new Problem(409, "lock-lost", "Conflict", q.getMessage(), null, null);
            };
        }
        throw new IllegalArgumentException("a JobsException this mapper does not know", e);
    }

    /** One mapper for the whole family: JAX-RS picks it for every subclass of {@link JobsException}. */
    @Provider
    public static class Jobs implements ExceptionMapper<JobsException> {
        @Override
        public Response toResponse(JobsException e) {
            return of(e).toResponse();
        }
    }
}
