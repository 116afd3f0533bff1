package com.advwell.jobs.control;

/**
 * What the queue engine refuses, as one family: the REST layer maps all of them in one place
 * ({@code QueueProblemMappers}), whatever the subclass.
 */
public abstract class JobsException extends RuntimeException {

    protected JobsException(String message) {
        super(message);
    }
}
