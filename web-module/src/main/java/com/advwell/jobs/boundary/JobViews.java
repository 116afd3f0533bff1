package com.advwell.jobs.boundary;

import com.advwell.jobs.control.JobView;
import com.advwell.jobs.control.QueueCounts;
import com.advwell.jobs.control.QueueLimits;
import com.advwell.jobs.control.QueueStats;
import com.advwell.jobs.control.RedisJobQueue;
import com.advwell.platform.json.Jsonp;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** JSON shapes of the queue API. Times are ISO instants, null while they have not happened. */
final class JobViews {

    private JobViews() {}

    public record AddedView(String id, String queue, boolean created) {
        static AddedView of(String queue, RedisJobQueue.Added a) {
            return new AddedView(a.id(), queue, a.created());
        }
    }

    public record BulkView(List<AddedView> jobs) {}

    /** A job; {@code stackTrace}, {@code tenant} and {@code worker} only for operators. */
    @JsonbPropertyOrder({
        "id",
        "queue",
        "type",
        "state",
        "priority",
        "attempts",
        "maxAttempts",
        "stalls",
        "progress",
        "payload",
        "result",
        "error",
        "stackTrace",
        "logs",
        "tenant",
        "worker",
        "createdAt",
        "startedAt",
        "finishedAt",
        "runAt"
    })
    public record JobResponse(
            String id,
            String queue,
            String type,
            String state,
            int priority,
            int attempts,
            int maxAttempts,
            int stalls,
            @JsonbNillable JsonValue progress,
            JsonValue payload,
            @JsonbNillable JsonValue result,
            @JsonbNillable String error,
            String stackTrace,
            List<String> logs,
            String tenant,
            String worker,
            Instant createdAt,
            @JsonbNillable Instant startedAt,
            @JsonbNillable Instant finishedAt,
            @JsonbNillable Instant runAt) {

        static JobResponse of(JobView j, boolean operator) {
            return new JobResponse(
                    j.id(),
                    j.queue(),
                    j.type(),
                    j.state().label(),
                    j.priority(),
                    j.attemptsMade(),
                    j.maxAttempts(),
                    j.stalls(),
                    json(j.progress()),
                    json(j.payload()),
                    json(j.result()),
                    j.error(),
                    operator ? j.stackTrace() : null,
                    j.logs(),
                    operator ? j.tenant() : null,
                    operator ? j.worker() : null,
                    instant(j.createdMillis()),
                    instant(j.startedMillis()),
                    instant(j.finishedMillis()),
                    instant(j.runAtMillis()));
        }
    }

    public record PageView(
            List<JobResponse> jobs, @JsonbNillable Long nextCursor) {}

    public record CountsView(long waiting, long delayed, long active, long completed, long failed) {}

    /** Since the queue was created. */
    public record TotalsView(long added, long completed, long failed, long retried, long stalled) {}

    /** Jobs per second across the cluster over about the last minute (sampled every few seconds). */
    public record RatesView(double added, double completed, double failed) {
        static RatesView of(QueueStats.Snapshot s) {
            return new RatesView(round(s.addedPerSecond()), round(s.completedPerSecond()), round(s.failedPerSecond()));
        }

        private static double round(double perSecond) {
            return Math.round(perSecond * 100) / 100.0;
        }
    }

    @JsonbPropertyOrder({"name", "types", "paused", "counts", "totals", "ratesPerSecond", "limits"})
    public record QueueView(
            String name,
            Set<String> types,
            boolean paused,
            CountsView counts,
            TotalsView totals,
            RatesView ratesPerSecond,
            LimitsView limits) {
        static QueueView of(
                String name, Set<String> types, QueueCounts c, QueueStats.Snapshot stats, QueueLimits limits) {
            return new QueueView(
                    name,
                    types,
                    c.paused(),
                    new CountsView(c.waiting(), c.delayed(), c.active(), c.completed(), c.failed()),
                    new TotalsView(
                            c.addedTotal(), c.completedTotal(), c.failedTotal(), c.retriedTotal(), c.stalledTotal()),
                    RatesView.of(stats),
                    LimitsView.of(limits));
        }
    }

    public record LimitsView(
            int maxActive,
            int rateMax,
            long rateWindowMs,
            int keepCompleted,
            long keepCompletedMs,
            int keepFailed,
            long keepFailedMs,
            int maxStalls) {
        static LimitsView of(QueueLimits l) {
            return new LimitsView(
                    l.maxActive(),
                    l.rateMax(),
                    l.rateWindow().toMillis(),
                    l.keepCompleted(),
                    l.keepCompletedFor().toMillis(),
                    l.keepFailed(),
                    l.keepFailedFor().toMillis(),
                    l.maxStalls());
        }
    }

    public record CleanedView(long removed) {}

    public record RetriedView(long retried) {}

    private static Instant instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }

    /** Stored JSON text as JSON; text that is not JSON (a producer's mistake) is returned as a string, not lost. */
    static JsonValue json(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Jsonp.readValue(text);
        } catch (JsonException e) {
            return Jsonp.value(text);
        }
    }
}
