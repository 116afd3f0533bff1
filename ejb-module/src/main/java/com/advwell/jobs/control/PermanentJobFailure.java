package com.advwell.jobs.control;

/** Thrown by a handler when retrying cannot help (bad input, a 4xx from a remote service): the job fails at once. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }
}
