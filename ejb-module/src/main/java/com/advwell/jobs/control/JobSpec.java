package com.advwell.jobs.control;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job to add: its type and JSON payload, and the options that differ from the defaults. Invalid values are refused
 * here, naming the field, before anything reaches Redis.
 *
 * @param id client-supplied id (null = generated); the same id twice is one job
 * @param priority 0-9, 9 served first, 4 by default; FIFO within a priority
 * @param delay wait before the job becomes waiting (zero = none)
 * @param attempts how many times the handler may run before the job fails for good
 * @param timeout how long one attempt may run (null = no limit beyond the lock)
 * @param tenant owning tenant (null = a system job, visible to operators only); each tenant, and the system, has
 *     its own ids (see {@link JobRef})
 * @param keepCompleted how long the job is kept after completing (null = the queue's retention)
 * @param keepFailed how long the job is kept after failing (null = the queue's retention)
 */
public record JobSpec(
        String id,
        String type,
        String payload,
        int priority,
        Duration delay,
        int attempts,
        Backoff backoff,
        Duration timeout,
        String tenant,
        Duration keepCompleted,
        Duration keepFailed) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    public static final int DEFAULT_PRIORITY = 4;
    public static final int DEFAULT_ATTEMPTS = 3;
    static final Duration MAX_DELAY = Duration.ofDays(366);

    public JobSpec {
        if (id != null && (!ID.matcher(id).matches() || id.chars().allMatch(Character::isDigit))) {
            throw new InvalidJobException(
                    "id",
                    "use 1-128 letters, digits, '_', '.', ':' or '-', not only digits "
                            + "(numeric ids are the ones the queue generates)");
        }
        if (tenant != null && (tenant.isEmpty() || tenant.indexOf(JobRef.TENANT_SEPARATOR) >= 0)) {
            // the tenant is the namespace of the job's id: a separator in it would make two refs collide
            throw new IllegalArgumentException(
                    "a tenant id must not be empty or contain '" + JobRef.TENANT_SEPARATOR + "': " + tenant);
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidJobException("type", "must match " + TYPE.pattern());
        }
        Objects.requireNonNull(payload, "payload");
        if (priority < 0 || priority > 9) {
            throw new InvalidJobException("priority", "must be between 0 and 9");
        }
        delay = delay == null ? Duration.ZERO : delay;
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new InvalidJobException("delayMs", "must be between 0 and " + MAX_DELAY.toMillis());
        }
        if (attempts < 1 || attempts > 100) {
            throw new InvalidJobException("attempts", "must be between 1 and 100");
        }
        backoff = backoff == null ? Backoff.DEFAULT : backoff;
        if (timeout != null && (timeout.toMillis() < 100 || timeout.compareTo(Duration.ofHours(24)) > 0)) {
            throw new InvalidJobException("timeoutMs", "must be between 100 and 86400000");
        }
        checkRetention("retention.completedMs", keepCompleted);
        checkRetention("retention.failedMs", keepFailed);
        if ((keepCompleted == null) != (keepFailed == null)) {
            keepCompleted = keepCompleted == null ? QueueLimits.DEFAULT.keepCompletedFor() : keepCompleted;
            keepFailed = keepFailed == null ? QueueLimits.DEFAULT.keepFailedFor() : keepFailed;
        }
    }

    private static void checkRetention(String field, Duration d) {
        if (d != null && (d.toMillis() < 1 || d.compareTo(Duration.ofDays(90)) > 0)) {
            throw new InvalidJobException(field, "must be between 1 ms and 90 days");
        }
    }

    /** A job with every option at its default. */
    public static JobSpec of(String type, String payloadJson) {
        return new JobSpec(
                null,
                type,
                payloadJson,
                DEFAULT_PRIORITY,
                Duration.ZERO,
                DEFAULT_ATTEMPTS,
                Backoff.DEFAULT,
                null,
                null,
                null,
                null);
    }

    public JobSpec withId(String newId) {
        return new JobSpec(
                newId, type, payload, priority, delay, attempts, backoff, timeout, tenant, keepCompleted, keepFailed);
    }

    public JobSpec withTenant(String newTenant) {
        return new JobSpec(
                id, type, payload, priority, delay, attempts, backoff, timeout, newTenant, keepCompleted, keepFailed);
    }

    public JobSpec withPriority(int newPriority) {
        return new JobSpec(
                id, type, payload, newPriority, delay, attempts, backoff, timeout, tenant, keepCompleted, keepFailed);
    }

    public JobSpec withDelay(Duration newDelay) {
        return new JobSpec(
                id, type, payload, priority, newDelay, attempts, backoff, timeout, tenant, keepCompleted, keepFailed);
    }

    public JobSpec withAttempts(int newAttempts, Backoff newBackoff) {
        return new JobSpec(
                id,
                type,
                payload,
                priority,
                delay,
                newAttempts,
                newBackoff,
                timeout,
                tenant,
                keepCompleted,
                keepFailed);
    }

    public JobSpec withTimeout(Duration newTimeout) {
        return new JobSpec(
                id, type, payload, priority, delay, attempts, backoff, newTimeout, tenant, keepCompleted, keepFailed);
    }
}
