package com.advwell.jobs.control;

import java.time.Duration;

/**
 * A queue's cluster-wide settings, kept in Redis so every replica applies the same ones: at most {@code maxActive}
 * jobs running at once (0 = no limit), at most {@code rateMax} jobs started per {@code rateWindow} (0 = no limit),
 * how many finished jobs are kept and for how long, and after how many stalls a job fails.
 */
public record QueueLimits(
        int maxActive,
        int rateMax,
        Duration rateWindow,
        int keepCompleted,
        Duration keepCompletedFor,
        int keepFailed,
        Duration keepFailedFor,
        int maxStalls) {

    /** Longest time finished jobs are kept: 90 days exactly (7,776,000,000 ms), as the API's contract states. */
    static final Duration MAX_KEEP = Duration.ofDays(90);

    /** Bounded by default: Redis memory must not grow with every job ever run. */
    public static final QueueLimits DEFAULT =
            new QueueLimits(0, 0, Duration.ofSeconds(1), 1000, Duration.ofHours(24), 10_000, Duration.ofDays(7), 2);

    public QueueLimits {
        if (maxActive < 0) {
            throw new InvalidJobException("maxActive", "must be 0 (no limit) or more");
        }
        if (rateMax < 0) {
            throw new InvalidJobException("rateMax", "must be 0 (no limit) or more");
        }
        if (rateWindow == null || rateWindow.toMillis() < 10 || rateWindow.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidJobException("rateWindowMs", "must be between 10 and 3600000");
        }
        if (keepCompleted < 0 || keepCompleted > 1_000_000) {
            throw new InvalidJobException("keepCompleted", "must be between 0 and 1000000");
        }
        if (keepFailed < 0 || keepFailed > 1_000_000) {
            throw new InvalidJobException("keepFailed", "must be between 0 and 1000000");
        }
        if (keepCompletedFor == null
                || keepCompletedFor.toMillis() < 1000
                || keepCompletedFor.compareTo(MAX_KEEP) > 0) {
            throw new InvalidJobException("keepCompletedMs", "must be between 1000 and 90 days");
        }
        if (keepFailedFor == null || keepFailedFor.toMillis() < 1000 || keepFailedFor.compareTo(MAX_KEEP) > 0) {
            throw new InvalidJobException("keepFailedMs", "must be between 1000 and 90 days");
        }
        if (maxStalls < 0 || maxStalls > 100) {
            throw new InvalidJobException("maxStalls", "must be between 0 and 100");
        }
    }

    public QueueLimits withMaxActive(int n) {
        return new QueueLimits(
                n, rateMax, rateWindow, keepCompleted, keepCompletedFor, keepFailed, keepFailedFor, maxStalls);
    }

    public QueueLimits withRate(int max, Duration window) {
        return new QueueLimits(
                maxActive, max, window, keepCompleted, keepCompletedFor, keepFailed, keepFailedFor, maxStalls);
    }

    public QueueLimits withRetention(int completed, Duration completedFor, int failed, Duration failedFor) {
        return new QueueLimits(maxActive, rateMax, rateWindow, completed, completedFor, failed, failedFor, maxStalls);
    }

    public QueueLimits withMaxStalls(int n) {
        return new QueueLimits(
                maxActive, rateMax, rateWindow, keepCompleted, keepCompletedFor, keepFailed, keepFailedFor, n);
    }
}
