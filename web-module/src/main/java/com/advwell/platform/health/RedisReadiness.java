package com.advwell.platform.health;

import com.advwell.platform.redis.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the current Redis master answers; the data names the master in use. */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {

    @Inject
    Redis redis;

    @Override
    public HealthCheckResponse call() {
        try {
            long latency = redis.pingNow();
            return HealthCheckResponse.named("redis")
                    .up()
                    .withData("master", redis.currentMaster())
                    .withData("latencyMs", latency)
                    .build();
        } catch (Exception e) {
            return HealthCheckResponse.named("redis")
                    .down()
                    .withData("master", redis.currentMaster())
                    .withData("error", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
