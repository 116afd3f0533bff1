package com.advwell.jobs.control;

import java.time.Duration;

/**
 * Thrown by a handler that knows when to try again (a remote service's {@code Retry-After}): the next attempt waits
 * that long instead of the backoff, if attempts remain.
 */
public class RetryJobLater extends RuntimeException {

    private final transient Duration after;

    public RetryJobLater(String message, Duration after) {
        super(message);
        this.after = after;
    }

    public Duration after() {
        return after;
    }
}
