package com.advwell.platform.health;

import com.advwell.platform.instance.Replica;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Startup;

/**
 * Alive and started once the application is deployed: deployment runs the migrations and the admin bootstrap, so a
 * replica that reports started has a current schema. Dependencies are readiness concerns, not liveness ones: a
 * replica is not restarted because Redis is failing over.
 */
@Liveness
@Startup
@ApplicationScoped
public class ReplicaAlive implements HealthCheck {

    @Inject
    Replica replica;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("replica")
                .up()
                .withData("instance", replica.instanceId())
                .withData("version", replica.version())
                .withData("cron", replica.cronEnabled())
                .build();
    }
}
