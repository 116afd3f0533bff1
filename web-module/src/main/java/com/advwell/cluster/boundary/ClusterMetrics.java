package com.advwell.cluster.boundary;

import com.advwell.cluster.leader.LeaderElection;
import com.advwell.cluster.membership.Membership;
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

/** Leadership and membership gauges, tagged {@code replica=<instance id>}; none of them calls Redis on a scrape. */
@ApplicationScoped
public class ClusterMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    Replica replica;

    @Inject
    LeaderElection election;

    @Inject
    Membership membership;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: registers the gauges at deployment
    }

    @PostConstruct
    void register() {
        Tag id = new Tag("replica", replica.instanceId());
        gauge("advwell_leader", "1 while this replica acts as leader", () -> election.isLeader() ? 1 : 0, id);
        gauge(
                "advwell_leader_epoch",
                "Epoch of this replica's current or last leadership term (0 if never)",
                () -> election.epoch(),
                id);
        gauge(
                "advwell_leader_transitions",
                "Times this replica gained or lost leadership since it started",
                () -> election.transitions(),
                id);
        gauge(
                "advwell_cluster_members",
                "Live members this replica saw at its last heartbeat (-1 before the first)",
                () -> membership.lastSeenCount(),
                id);
    }

    private void gauge(String name, String description, Supplier<Number> value, Tag tag) {
        registry.gauge(
                Metadata.builder().withName(name).withDescription(description).build(), value, tag);
    }
}
