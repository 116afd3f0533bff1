package com.advwell.platform.errors;

/**
 * Why an operation was refused, in the domain's terms. Each kind is one answer the caller can act on; how a kind is
 * told to a caller (a status, a problem type) is the boundary's business, decided once for all of them.
 */
public enum Refusal {
    /** A value the caller sent cannot be accepted; the exception names the field. */
    INVALID,
    /** The credential the caller presented (an API key at console sign-in) is unknown or revoked. */
    UNAUTHENTICATED,
    /** What the caller addressed does not exist, or is not theirs to see. */
    NOT_FOUND,
    /** The queue the caller named is not declared by this deployment. */
    UNKNOWN_QUEUE,
    /** Someone else changed the same thing at the same time. */
    CONFLICT,
    /** The job is not in a state that allows the operation. */
    WRONG_STATE,
    /** The job's lock is held by someone else, or the job was handed back. */
    LOCK_LOST,
    /** A value is larger than its limit; the exception names the field. */
    TOO_LARGE,
    /** An {@code http} job while no webhook signing secret is configured. */
    WEBHOOKS_DISABLED,
    /** Redis took a write that no replica confirmed in time: nothing was acknowledged, repeating it is safe. */
    NOT_DURABLE,
    /** A dependency (Redis, PostgreSQL) did not answer; the operation may be repeated shortly. */
    UNAVAILABLE
}
