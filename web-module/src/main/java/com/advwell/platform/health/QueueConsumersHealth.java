package com.advwell.platform.health;

import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.QueueConsumers;
import com.advwell.jobs.control.QueueWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN when a queue consumer of this replica has not fetched (or waited for) jobs for longer than
 * {@code QUEUE_FETCH_STALE_MS}: the replica is wedged for that queue, and the orchestrator should replace it rather
 * than let it idle forever (the failure mode of workers that silently stop after a reconnect). DOWN as well while
 * the consumers could not be started (Redis unreachable at boot) and are being started again.
 */
@Liveness
@Readiness
@ApplicationScoped
public class QueueConsumersHealth implements HealthCheck {

    @Inject
    QueueConsumers consumers;

    @Inject
    JobQueues queues;

    @Override
    public HealthCheckResponse call() {
        long limit = queues.settings().fetchStaleAfter().toMillis();
        HealthCheckResponseBuilder b =
                HealthCheckResponse.named("queue-consumers").up();
        String startFailure = consumers.startFailure();
        if (startFailure != null) {
            b.down().withData("start", "not started yet, retrying: " + startFailure);
        }
        for (QueueWorker w : consumers.workers()) {
            long age = w.lastFetchAgeMillis();
            b.withData(w.queueName() + ".lastFetchAgeMs", age);
            if (w.isFetching() && age > limit) {
                b.down()
                        .withData(
                                w.queueName() + ".error",
                                "no successful fetch for " + age + " ms (limit " + limit + " ms): "
                                        + (w.lastError() == null ? "fetch loop stuck" : w.lastError()));
            }
        }
        return b.build();
    }
}
