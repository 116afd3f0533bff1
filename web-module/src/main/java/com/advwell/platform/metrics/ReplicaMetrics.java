package com.advwell.platform.metrics;

import com.advwell.platform.db.PoolUsage;
import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The replica's own gauges at {@code /metrics?scope=application}: its PostgreSQL pool and its Redis connection, each
 * series tagged with {@code replica=<instance id>} so dashboards can tell replicas apart.
 */
@ApplicationScoped
public class ReplicaMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    Replica replica;

    @Inject
    PoolUsage pool;

    @Inject
    Redis redis;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: registers the gauges at deployment
    }

    @PostConstruct
    void register() {
        Tag id = new Tag("replica", replica.instanceId());
        gauge(
                "advwell_db_pool_max",
                "Maximum PostgreSQL connections of this replica's pool (DB_POOL_MAX)",
                () -> pool.max(),
                id);
        gauge(
                "advwell_db_pool_open",
                "PostgreSQL connections this replica holds (pg_stat_activity; -1 when unknown)",
                () -> pool.open(),
                id);
        gauge(
                "advwell_db_pool_in_use",
                "PostgreSQL connections of this replica running a statement or transaction",
                () -> pool.busy(),
                id);
        gauge(
                "advwell_redis_up",
                "1 when the last PING to the Redis master succeeded",
                () -> redis.lastPingOk() ? 1 : 0,
                id);
        gauge(
                "advwell_redis_master_changes",
                "Redis master changes this replica has followed since it started",
                () -> redis.masterChanges(),
                id);
        gauge(
                "advwell_replica_cron_enabled",
                "1 when this replica may run scheduled jobs (ENABLE_CRON)",
                () -> replica.cronEnabled() ? 1 : 0,
                id);
        gauge(
                "advwell_replica_start_time_seconds",
                "When this replica started (Unix time)",
                () -> replica.startedAt().getEpochSecond(),
                id);
    }

    private void gauge(String name, String description, java.util.function.Supplier<Number> value, Tag tag) {
        registry.gauge(
                Metadata.builder().withName(name).withDescription(description).build(), value, tag);
    }
}
