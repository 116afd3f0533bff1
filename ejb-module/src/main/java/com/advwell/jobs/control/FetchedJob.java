package com.advwell.jobs.control;

/**
 * A job a consumer took from the queue, with the lock token that proves it still owns it.
 *
 * @param id the job's ref in the queue ({@link JobRef}: {@code <tenant>/<id>} for a tenant's job), which is
 *     what the scripts need; {@link Job#id()} is the id its producer gave
 * @param attemptsMade attempts including this one
 * @param timeoutMillis how long this attempt may run (0 = no limit beyond the lock)
 */
public record FetchedJob(
        String queue,
        String id,
        String type,
        String payload,
        int attemptsMade,
        int maxAttempts,
        Backoff backoff,
        long timeoutMillis,
        long createdMillis,
        String tenant,
        int priority,
        String token) {}
