package com.advwell.jobs.control;

/**
 * An add that Redis took but no replica confirmed within the wait timeout: a failover right now could erase it, so
 * it is not acknowledged. Adding again with the same job id is safe.
 */
public class NotDurableException extends JobsException {

    public NotDurableException(String message) {
        super(message);
    }
}
