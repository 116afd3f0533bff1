package com.advwell.jobs.control;

/** No consumer in this deployment declares the queue (404). */
public class UnknownQueueException extends JobsException {

    public UnknownQueueException(String queue) {
        super("no queue named '" + queue + "'");
    }
}
