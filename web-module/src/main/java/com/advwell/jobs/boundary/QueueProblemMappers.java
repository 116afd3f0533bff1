package com.advwell.jobs.boundary;

import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.JobTooLargeException;
import com.advwell.jobs.control.NotDurableException;
import com.advwell.jobs.control.QueueException;
import com.advwell.jobs.control.UnknownQueueException;
import com.advwell.platform.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The queue engine's exceptions as problem documents. The engine lives in the EJB module and knows nothing of HTTP,
 * so its exceptions are mapped here rather than in {@code Problems}; each mapper is one line of {@link #of}.
 */
public final class QueueProblemMappers {

    private QueueProblemMappers() {
    }

    static Problem of(RuntimeException e) {
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
        throw new IllegalArgumentException("not a queue exception", e);
    }

    @Provider
    public static class UnknownQueue implements ExceptionMapper<UnknownQueueException> {
        @Override
        public Response toResponse(UnknownQueueException e) {
            return of(e).toResponse();
        }
    }

    @Provider
    public static class InvalidJob implements ExceptionMapper<InvalidJobException> {
        @Override
        public Response toResponse(InvalidJobException e) {
            return of(e).toResponse();
        }
    }

    @Provider
    public static class JobTooLarge implements ExceptionMapper<JobTooLargeException> {
        @Override
        public Response toResponse(JobTooLargeException e) {
            return of(e).toResponse();
        }
    }

    @Provider
    public static class NotDurable implements ExceptionMapper<NotDurableException> {
        @Override
        public Response toResponse(NotDurableException e) {
            return of(e).toResponse();
        }
    }

    @Provider
    public static class Queue implements ExceptionMapper<QueueException> {
        @Override
        public Response toResponse(QueueException e) {
            return of(e).toResponse();
        }
    }
}
