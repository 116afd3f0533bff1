package com.advwell.platform.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while a pooled connection can run a query on PostgreSQL. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return HealthCheckResponse.named("postgresql").up()
                    .withData("latencyMs", (System.nanoTime() - start) / 1_000_000).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("postgresql").down()
                    .withData("error", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage())).build();
        }
    }
}
