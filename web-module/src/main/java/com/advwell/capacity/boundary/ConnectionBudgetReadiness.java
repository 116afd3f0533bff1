package com.advwell.capacity.boundary;

import com.advwell.capacity.control.CapacityGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while this replica's pool fits in the connection budget in join order, so a replica that would let the
 * pools exhaust PostgreSQL at peak never takes traffic; the data gives the figures. Uses the guard's last judgement.
 */
@Readiness
@ApplicationScoped
public class ConnectionBudgetReadiness implements HealthCheck {

    @Inject
    CapacityGuard guard;

    @Override
    public HealthCheckResponse call() {
        CapacityGuard.Verdict v = guard.verdict();
        return HealthCheckResponse.named("connection-budget")
                .status(v.standing() == CapacityGuard.Standing.WITHIN)
                .withData("standing", v.standing().name())
                .withData("reason", v.reason())
                .withData("headroomReplicas", v.headroomReplicas())
                .build();
    }
}
