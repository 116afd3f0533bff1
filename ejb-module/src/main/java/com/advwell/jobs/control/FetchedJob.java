package com.advwell.jobs.control;

/**
 * A job a consumer took from the queue, with the lock token that proves it still owns it.
 *
 * @param attemptsMade attempts including this one
 * @param timeoutMillis how long this attempt may run (0 = no limit beyond the lock)
 */
public record FetchedJob(String queue, String id, String type, String payload, int attemptsMade, int maxAttempts,
        Backoff backoff, long timeoutMillis, long createdMillis, String tenant, int priority, String token) {
}
