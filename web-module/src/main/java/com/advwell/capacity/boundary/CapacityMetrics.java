package com.advwell.capacity.boundary;

import com.advwell.capacity.control.CapacityGuard;
import com.advwell.platform.instance.Replica;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** Connection budget gauges from the guard's last judgement, tagged {@code replica=<instance id>}; no I/O on a scrape. */
@ApplicationScoped
public class CapacityMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    Replica replica;

    @Inject
    CapacityGuard guard;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: registers the gauges at deployment
    }

    @PostConstruct
    void register() {
        Tag id = new Tag("replica", replica.instanceId());
        gauge(
                "advwell_db_connection_budget_exceeded",
                "1 when this replica's pool does not fit in max_connections minus"
                        + " the reserve in join order (it is then not ready), 0 when it fits, -1 while that cannot be judged",
                () -> switch (guard.verdict().standing()) {
                    case WITHIN -> 0;
                    case EXCEEDED -> 1;
                    case UNKNOWN -> -1;
                },
                id);
        gauge(
                "advwell_db_connection_budget_headroom_replicas",
                "More replicas of this pool size that fit in the budget"
                        + " now (negative: that many too many); the last judged value",
                () -> guard.verdict().headroomReplicas(),
                id);
    }

    private void gauge(String name, String description, Supplier<Number> value, Tag tag) {
        registry.gauge(
                Metadata.builder().withName(name).withDescription(description).build(), value, tag);
    }
}
