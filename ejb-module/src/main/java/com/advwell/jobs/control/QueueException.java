package com.advwell.jobs.control;

/** A queue operation refused by Redis for the reason in {@link #error()}. */
public class QueueException extends JobsException {

    private final QueueError error;

    public QueueException(QueueError error, String message) {
        super(message);
        this.error = error;
    }

    public QueueError error() {
        return error;
    }
}
