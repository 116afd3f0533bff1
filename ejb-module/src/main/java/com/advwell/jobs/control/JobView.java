package com.advwell.jobs.control;

import java.util.List;

/**
 * Everything known about one job, for the API: state, attempts, progress, logs, result or error, timestamps
 * (epoch ms, 0 = not yet). {@code id} is the id its producer gave; with {@code tenant} (null = a system job) it
 * identifies the job in its queue.
 */
public record JobView(
        String queue,
        String id,
        String type,
        String payload,
        JobState state,
        int priority,
        int attemptsMade,
        int maxAttempts,
        int stalls,
        String progress,
        List<String> logs,
        String result,
        String error,
        String stackTrace,
        String tenant,
        String worker,
        long createdMillis,
        long startedMillis,
        long finishedMillis,
        long runAtMillis) {}
