package com.advwell.jobs.control;

import com.advwell.platform.config.Settings;
import java.time.Duration;
import java.util.Locale;

/**
 * The queue settings a replica reads at start-up (docs/configuration.md).
 *
 * @param minReplicaAcks Redis replicas that must confirm an add before it is acknowledged (WAIT); 1 by default when
 *        Sentinel is enabled (there is a replica to fail over to), 0 otherwise
 */
public record QueueSettings(
        boolean consumersEnabled,
        Duration lock,
        Duration stallCheck,
        Duration defaultTimeout,
        int maxPayloadBytes,
        int minReplicaAcks,
        Duration waitTimeout,
        Duration fetchStaleAfter,
        Duration shutdownGrace,
        int prefetchMax,
        Duration completionRetry,
        Settings source) {

    public static QueueSettings from(Settings s) {
        boolean sentinel = s.bool("REDIS_SENTINEL_ENABLED", false);
        return new QueueSettings(
                s.bool("QUEUE_CONSUMERS_ENABLED", true),
                s.millis("QUEUE_LOCK_MS", 30_000, 1_000, 3_600_000),
                s.millis("QUEUE_STALL_CHECK_MS", 5_000, 100, 600_000),
                s.millis("QUEUE_JOB_TIMEOUT_MS", 300_000, 100, 86_400_000),
                s.integer("QUEUE_MAX_PAYLOAD_BYTES", 512 * 1024, 1024, 16 * 1024 * 1024),
                s.integer("REDIS_MIN_REPLICA_ACKS", sentinel ? 1 : 0, 0, 16),
                s.millis("REDIS_WAIT_TIMEOUT_MS", 500, 10, 60_000),
                s.millis("QUEUE_FETCH_STALE_MS", 60_000, 1_000, 3_600_000),
                s.millis("SHUTDOWN_GRACE_MS", 25_000, 0, 600_000),
                s.integer("QUEUE_PREFETCH_MAX", WorkerOptions.DEFAULT_PREFETCH_MAX, 0, 1000),
                s.millis("QUEUE_COMPLETION_RETRY_MS", WorkerOptions.DEFAULT_COMPLETION_RETRY.toMillis(), 0, 600_000),
                s);
    }

    /** {@code QUEUE_<NAME>_CONCURRENCY} overrides a consumer's declared concurrency on this replica (0 = none). */
    public int concurrency(String queue, int declared) {
        return source.integer(
                "QUEUE_" + queue.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_CONCURRENCY",
                declared,
                0,
                1000);
    }
}
