package com.advwell.jobs.control;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;

/**
 * An add that Redis took but no replica confirmed within the wait timeout: a failover right now could erase it, so
 * it is not acknowledged. Adding again with the same job id is safe, a second later once a replica has caught up.
 */
public class NotDurableException extends RefusedException {

    private static final long serialVersionUID = 1L;

    public NotDurableException(String message) {
        super(Refusal.NOT_DURABLE, message, null, 1);
    }
}
