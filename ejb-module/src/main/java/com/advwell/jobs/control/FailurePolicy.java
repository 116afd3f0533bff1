package com.advwell.jobs.control;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;

/** What a failed attempt becomes: when the job runs again, if at all, and the error and stack trace it keeps. */
final class FailurePolicy {

    private static final int MAX_ERROR = 2000;
    private static final int MAX_STACK = 8192;

    private FailurePolicy() {}

    /** Null = fail for good: a permanent failure, or no attempts left. */
    static Duration retryDelay(FetchedJob job, Throwable failure) {
        return retryDelay(job, failure, ThreadLocalRandom.current()::nextDouble);
    }

    static Duration retryDelay(FetchedJob job, Throwable failure, DoubleSupplier random) {
        if (failure instanceof PermanentJobFailure || job.attemptsMade() >= job.maxAttempts()) {
            return null;
        }
        if (failure instanceof RetryJobLater later && later.after() != null) {
            return later.after();
        }
        return Duration.ofMillis(job.backoff().delayAfter(job.attemptsMade(), random));
    }

    /**
     * The handler's own words for the failures it means (they are written for the job's owner), else the class too;
     * the class alone when there are no words (a handler's failure made without a message).
     */
    static String describe(Throwable t) {
        String m = t.getMessage();
        String text = (t instanceof PermanentJobFailure || t instanceof RetryJobLater) && m != null
                ? m
                : t.getClass().getName() + (m == null ? "" : ": " + m);
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }

    /** Empty for the failures a handler or the watchdog means, where the stack says nothing about the cause. */
    static String stackTrace(Throwable t) {
        if (t instanceof PermanentJobFailure || t instanceof RetryJobLater || t instanceof TimeoutException) {
            return "";
        }
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > MAX_STACK ? s.substring(0, MAX_STACK) : s;
    }
}
