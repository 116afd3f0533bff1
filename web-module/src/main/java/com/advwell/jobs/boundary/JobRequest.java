package com.advwell.jobs.boundary;

import com.advwell.jobs.control.Backoff;
import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.JobSpec;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One job as a client writes it. Every option is optional; the engine's {@link JobSpec} checks the values and names
 * the field at fault. {@code payload} is any JSON value ({} when left out).
 */
public record JobRequest(
        String id,
        String type,
        JsonValue payload,
        Integer priority,
        Long delayMs,
        String runAt,
        Integer attempts,
        BackoffRequest backoff,
        Long timeoutMs,
        RetentionRequest retention) {

    public record BackoffRequest(String type, Long delayMs, Boolean jitter) {}

    public record RetentionRequest(Long completedMs, Long failedMs) {}

    /** The payload as stored: the JSON text of the value, {} when there is none. */
    String payloadText() {
        return payload == null || payload.getValueType() == JsonValue.ValueType.NULL ? "{}" : payload.toString();
    }

    /**
     * The engine's job for {@code tenant} (null = a system job). {@code now} turns {@code runAt} into a delay: the
     * replica's clock against the client's, the only clocks that can compare an absolute time the client chose.
     */
    JobSpec toSpec(String tenant, Instant now) {
        if (delayMs != null && runAt != null) {
            throw new InvalidJobException("runAt", "give either delayMs or runAt, not both");
        }
        Duration delay = delayMs == null ? Duration.ZERO : Duration.ofMillis(delayMs);
        if (runAt != null) {
            try {
                Duration until = Duration.between(now, Instant.parse(runAt));
                delay = until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException e) {
                throw new InvalidJobException("runAt", "must be an ISO-8601 instant such as 2030-01-31T12:00:00Z");
            }
        }
        Duration timeout = timeoutMs == null ? null : Duration.ofMillis(timeoutMs);
        Duration keepCompleted = null;
        Duration keepFailed = null;
        if (retention != null) {
            keepCompleted = retention.completedMs() == null ? null : Duration.ofMillis(retention.completedMs());
            keepFailed = retention.failedMs() == null ? null : Duration.ofMillis(retention.failedMs());
        }
        try {
            return new JobSpec(
                    id,
                    type,
                    payloadText(),
                    priority == null ? JobSpec.DEFAULT_PRIORITY : priority,
                    delay,
                    attempts == null ? JobSpec.DEFAULT_ATTEMPTS : attempts,
                    toBackoff(),
                    timeout,
                    tenant,
                    keepCompleted,
                    keepFailed);
        } catch (InvalidJobException e) {
            if (runAt != null && e.field().equals("delayMs")) {
                // the client wrote runAt; the delay is ours
                throw new InvalidJobException("runAt", "must be less than a year ahead");
            }
            throw e;
        }
    }

    private Backoff toBackoff() {
        if (backoff == null) {
            return Backoff.DEFAULT;
        }
        Backoff.Kind kind = null;
        if (backoff.type() == null || "exponential".equals(backoff.type())) {
            kind = Backoff.Kind.EXPONENTIAL;
        } else if ("fixed".equals(backoff.type())) {
            kind = Backoff.Kind.FIXED;
        }
        return new Backoff(
                kind,
                backoff.delayMs() == null ? Backoff.DEFAULT.delayMillis() : backoff.delayMs(),
                backoff.jitter() == null ? Backoff.DEFAULT.jitter() : backoff.jitter());
    }
}
