package com.advwell.jobs.boundary;

import com.advwell.jobs.control.QueueLimits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** Request bodies of the operators' queue API. */
final class QueueRequests {

    private QueueRequests() {}

    public record RetryFailedRequest(@Min(1) @Max(100_000) Integer max) {
        int maxOrDefault() {
            return max == null ? 1000 : max;
        }
    }

    public record CleanRequest(
            @NotNull String state,
            @Min(0) Long olderThanMs,
            @Min(1) @Max(100_000) Integer max) {}

    /** New limits; a field left out keeps its current value. */
    public record LimitsRequest(
            Integer maxActive,
            Integer rateMax,
            Long rateWindowMs,
            Integer keepCompleted,
            Long keepCompletedMs,
            Integer keepFailed,
            Long keepFailedMs,
            Integer maxStalls) {

        QueueLimits applyTo(QueueLimits current) {
            return new QueueLimits(
                    maxActive == null ? current.maxActive() : maxActive,
                    rateMax == null ? current.rateMax() : rateMax,
                    rateWindowMs == null ? current.rateWindow() : Duration.ofMillis(rateWindowMs),
                    keepCompleted == null ? current.keepCompleted() : keepCompleted,
                    keepCompletedMs == null ? current.keepCompletedFor() : Duration.ofMillis(keepCompletedMs),
                    keepFailed == null ? current.keepFailed() : keepFailed,
                    keepFailedMs == null ? current.keepFailedFor() : Duration.ofMillis(keepFailedMs),
                    maxStalls == null ? current.maxStalls() : maxStalls);
        }
    }
}
