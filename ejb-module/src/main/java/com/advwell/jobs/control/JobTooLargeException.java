package com.advwell.jobs.control;

/** A job payload over {@code QUEUE_MAX_PAYLOAD_BYTES} (413). */
public class JobTooLargeException extends JobsException {

    public JobTooLargeException(int bytes, int max) {
        super("payload is " + bytes + " bytes; the limit is " + max + " (QUEUE_MAX_PAYLOAD_BYTES)");
    }
}
