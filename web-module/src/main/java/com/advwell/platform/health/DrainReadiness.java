package com.advwell.platform.health;

import com.advwell.platform.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the replica drains before it stops: on SIGTERM, {@code scripts/replica} (the image's entrypoint)
 * creates {@code SHUTDOWN_DRAIN_FILE} and waits {@code SHUTDOWN_DRAIN_MS} before Payara gets the signal, so load
 * balancers that poll readiness stop sending requests while the application still answers them all.
 */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    private final Optional<Path> drainFile =
            Settings.fromMicroProfileConfig().optional("SHUTDOWN_DRAIN_FILE").map(Path::of);

    @Override
    public HealthCheckResponse call() {
        if (drainFile.isPresent() && Files.exists(drainFile.get())) {
            return HealthCheckResponse.named("draining")
                    .down()
                    .withData("reason", "SIGTERM received: stopping after" + " SHUTDOWN_DRAIN_MS")
                    .build();
        }
        return HealthCheckResponse.named("draining").up().build();
    }
}
