package com.advwell.jobs.control;

import com.advwell.platform.instance.Replica;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Per-queue metrics, tagged {@code queue} and {@code replica}: cluster-wide job counts per state (gauges, from
 * {@link QueueStats}, so a scrape never calls Redis) and this replica's completed/failed/retried/stalled counters and
 * wait/processing histograms (milliseconds). Names are listed in docs/how-it-works.md.
 */
@ApplicationScoped
public class QueueMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    Replica replica;

    @Inject
    JobQueues queues;

    @Inject
    QueueStats stats;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: sampling and gauges exist from deployment on, also on replicas without consumers
    }

    @PostConstruct
    void register() {
        for (String q : queues.names()) {
            gauge(q, "advwell_queue_waiting", "Jobs waiting in the queue (all replicas)", QueueCounts::waiting);
            gauge(q, "advwell_queue_active", "Jobs running now (all replicas)", QueueCounts::active);
            gauge(
                    q,
                    "advwell_queue_delayed",
                    "Jobs delayed until a later time or a retry (all replicas)",
                    QueueCounts::delayed);
            gauge(
                    q,
                    "advwell_queue_failed",
                    "Failed jobs kept in the dead-letter set (all replicas)",
                    QueueCounts::failed);
            gauge(q, "advwell_queue_paused", "1 while the queue is paused", c -> c.paused() ? 1 : 0);
        }
    }

    private void gauge(String queue, String name, String description, ToLongFunction<QueueCounts> value) {
        registry.gauge(
                Metadata.builder().withName(name).withDescription(description).build(),
                () -> {
                    QueueStats.Snapshot s = stats.cached(queue);
                    return s == null ? -1 : value.applyAsLong(s.counts());
                },
                tags(queue));
    }

    private Tag[] tags(String queue) {
        return new Tag[] {new Tag("queue", queue), new Tag("replica", replica.instanceId())};
    }

    private Counter counter(String queue, String name, String description) {
        return registry.counter(
                Metadata.builder().withName(name).withDescription(description).build(), tags(queue));
    }

    /**
     * Latencies are histograms of milliseconds with the unit in the name: Payara's Prometheus output of a
     * {@code Timer} names it {@code _seconds} but prints nanoseconds, which would make every dashboard wrong.
     */
    private Histogram millis(String queue, String name, String description) {
        return registry.histogram(
                Metadata.builder()
                        .withName(name)
                        .withDescription(description)
                        .withUnit(MetricUnits.NONE)
                        .build(),
                tags(queue));
    }

    /** The worker listener for one queue, counting into this replica's metrics. */
    QueueWorker.Listener listener(String queue) {
        Counter completed = counter(queue, "advwell_queue_completed", "Jobs this replica completed");
        Counter failed = failedForGood(queue);
        Counter retried = counter(queue, "advwell_queue_retried", "Failed attempts this replica scheduled for retry");
        Histogram waited =
                millis(queue, "advwell_queue_wait_ms", "Milliseconds jobs waited from add (or due time) " + "to start");
        Histogram processed =
                millis(queue, "advwell_queue_processing_ms", "Milliseconds handlers took, successful " + "jobs");
        return new QueueWorker.Listener() {
            @Override
            public void completed(FetchedJob job, long waitMillis, long runMillis) {
                completed.inc();
                waited.update(waitMillis);
                processed.update(runMillis);
            }

            @Override
            public void failed(FetchedJob job, boolean willRetry, String error) {
                (willRetry ? retried : failed).inc();
            }
        };
    }

    /** The stall sweep's listener for one queue; jobs it fails for good count with the worker's failures. */
    StalledJobSweeper.Listener stallListener(String queue) {
        Counter stalled = counter(queue, "advwell_queue_stalled", "Stalled jobs this replica's sweeper recovered");
        Counter failed = failedForGood(queue);
        return (backToWaiting, failedForGood) -> {
            stalled.inc(backToWaiting + failedForGood);
            failed.inc(failedForGood);
        };
    }

    private Counter failedForGood(String queue) {
        return counter(
                queue,
                "advwell_queue_failed_attempts",
                "Job attempts that failed for good on this replica " + "(dead-lettered)");
    }
}
