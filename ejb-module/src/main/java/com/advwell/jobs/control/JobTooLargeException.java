package com.advwell.jobs.control;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;

/** A job payload over {@code QUEUE_MAX_PAYLOAD_BYTES}; the field is the payload's. */
public class JobTooLargeException extends RefusedException {

    private static final long serialVersionUID = 1L;

    public JobTooLargeException(int bytes, int max, String field) {
        super(
                Refusal.TOO_LARGE,
                "payload is " + bytes + " bytes; the limit is " + max + " (QUEUE_MAX_PAYLOAD_BYTES)",
                field,
                null);
    }
}
