package com.advwell.jobs.control;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;

/** No consumer in this deployment declares the queue. */
public class UnknownQueueException extends RefusedException {

    private static final long serialVersionUID = 1L;

    public UnknownQueueException(String queue) {
        super(Refusal.UNKNOWN_QUEUE, "no queue named '" + queue + "'", null, null);
    }
}
