package com.advwell.platform.db;

import com.advwell.platform.instance.Replica;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * How many PostgreSQL connections this replica holds, as PostgreSQL itself sees them ({@code pg_stat_activity} rows
 * whose application_name is the instance id). Sampled in the background every few seconds so that a metrics scrape
 * never waits for a connection from an exhausted pool.
 */
@ApplicationScoped
public class PoolUsage {

    private static final Logger LOG = Logger.getLogger(PoolUsage.class.getName());

    @Inject
    Replica replica;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    private volatile int open = -1;
    private volatile int busy = -1;
    private ScheduledFuture<?> sampler;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: the sampler must be scheduled from the application's own context, not from a metrics scrape
    }

    @PostConstruct
    void start() {
        sampler = scheduler.scheduleWithFixedDelay(this::sample, 0, 5, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (sampler != null) {
            sampler.cancel(true);
        }
    }

    void sample() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE state <> 'idle')"
                        + " FROM pg_stat_activity WHERE application_name = ?")) {
            st.setString(1, replica.instanceId());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                open = rs.getInt(1);
                // the sampling query itself is one of the busy ones
                busy = Math.max(0, rs.getInt(2) - 1);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "pool usage sample failed: " + e, e);
            open = -1;
            busy = -1;
        }
    }

    /** Connections this replica has open, or -1 when PostgreSQL could not be asked. */
    public int open() {
        return open;
    }

    /** Connections running a statement or inside a transaction right now, excluding the sampler's own. */
    public int busy() {
        return busy;
    }

    public int max() {
        return replica.dbPoolMax();
    }
}
