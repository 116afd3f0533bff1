package com.advwell.jobs.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples every queue's counts every few seconds, so that metrics scrapes and the queue list never wait on Redis,
 * and derives recent rates (jobs per second over about the last minute) from the cluster-wide totals.
 */
@ApplicationScoped
public class QueueStats {

    private static final Logger LOG = Logger.getLogger(QueueStats.class.getName());
    static final long SAMPLE_MILLIS = 5_000;
    private static final long WINDOW_MILLIS = 60_000;

    /** One queue's latest counts and its rates over the sampled window (per second). */
    public record Snapshot(
            QueueCounts counts,
            double addedPerSecond,
            double completedPerSecond,
            double failedPerSecond,
            long sampledAtMillis) {}

    private record Sample(long atMillis, QueueCounts counts) {}

    @Inject
    JobQueues queues;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Map<String, Deque<Sample>> history = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sampler;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: sampling and gauges exist from deployment on, also on replicas without consumers
    }

    @PostConstruct
    void start() {
        sampler = scheduler.scheduleWithFixedDelay(this::sampleAll, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sampler != null) {
            sampler.cancel(false);
        }
    }

    private void sampleAll() {
        for (String name : queues.names()) {
            try {
                sample(name, queues.queue(name).counts(), System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "could not sample queue " + name, e);
            }
        }
    }

    void sample(String name, QueueCounts counts, long now) {
        Deque<Sample> h = history.computeIfAbsent(name, n -> new ArrayDeque<>());
        Snapshot snapshot;
        synchronized (h) {
            h.addLast(new Sample(now, counts));
            while (h.size() > 2 && now - h.peekFirst().atMillis() > WINDOW_MILLIS) {
                h.removeFirst();
            }
            Sample first = h.peekFirst();
            double seconds = (now - first.atMillis()) / 1000.0;
            snapshot = seconds <= 0
                    ? new Snapshot(counts, 0, 0, 0, now)
                    : new Snapshot(
                            counts,
                            rate(counts.addedTotal(), first.counts().addedTotal(), seconds),
                            rate(counts.completedTotal(), first.counts().completedTotal(), seconds),
                            rate(counts.failedTotal(), first.counts().failedTotal(), seconds),
                            now);
        }
        latest.put(name, snapshot);
    }

    private static double rate(long now, long then, double seconds) {
        return Math.max(0, now - then) / seconds;
    }

    /** The latest snapshot of a queue, sampling it now if there is none yet. */
    public Snapshot snapshot(String queue) {
        Snapshot s = latest.get(queue);
        if (s == null) {
            sample(queue, queues.queue(queue).counts(), System.currentTimeMillis());
            s = latest.get(queue);
        }
        return s;
    }

    /** The latest snapshot or null, without touching Redis (for metrics). */
    public Snapshot cached(String queue) {
        return latest.get(queue);
    }
}
