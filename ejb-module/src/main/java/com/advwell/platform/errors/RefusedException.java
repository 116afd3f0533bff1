package com.advwell.platform.errors;

import jakarta.ejb.ApplicationException;

/**
 * The one domain failure callers are told about: a {@link Refusal}, the detail, the field at fault when one is, and
 * when repeating makes sense, how long to wait. Subclasses only name a family (the queue engine's); every failure
 * is told to callers by its refusal alone. An application exception so that it leaves an EJB as itself, not wrapped.
 */
@ApplicationException(rollback = true)
public class RefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Refusal refusal;
    private final String field;
    private final Integer retryAfterSeconds;

    public RefusedException(Refusal refusal, String detail, String field, Integer retryAfterSeconds) {
        super(detail);
        this.refusal = refusal;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static RefusedException invalid(String field, String detail) {
        return new RefusedException(Refusal.INVALID, detail, field, null);
    }

    public static RefusedException notFound(String what, String id) {
        return new RefusedException(Refusal.NOT_FOUND, what + " '" + id + "' does not exist", null, null);
    }

    public static RefusedException unavailable(String detail, int retryAfterSeconds) {
        return new RefusedException(Refusal.UNAVAILABLE, detail, null, retryAfterSeconds);
    }

    public Refusal refusal() {
        return refusal;
    }

    /** The field at fault, null when the refusal is not about one field. */
    public String field() {
        return field;
    }

    /** Seconds after which repeating the operation may succeed, null when repeating it as it was cannot. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
