package com.advwell.jobs.control;

import com.advwell.platform.errors.RefusedException;

/** A queue operation refused by Redis for the reason in {@link #error()}. */
public class QueueException extends RefusedException {

    private static final long serialVersionUID = 1L;

    private final QueueError error;

    public QueueException(QueueError error, String message) {
        super(error.refusal(), message, null, null);
        this.error = error;
    }

    public QueueError error() {
        return error;
    }
}
