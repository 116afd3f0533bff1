package com.advwell.platform.health;

import com.advwell.platform.db.DatabasePing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while a pooled connection can run a query on PostgreSQL. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Inject
    DatabasePing database;

    @Override
    public HealthCheckResponse call() {
        try {
            long latency = database.pingNow();
            return HealthCheckResponse.named("postgresql")
                    .up()
                    .withData("latencyMs", latency)
                    .build();
        } catch (Exception e) {
            return HealthCheckResponse.named("postgresql")
                    .down()
                    .withData("error", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
