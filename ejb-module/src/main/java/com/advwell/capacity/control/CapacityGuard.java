package com.advwell.capacity.control;

import com.advwell.cluster.control.ClusterSettings;
import com.advwell.cluster.membership.Membership;
import com.advwell.platform.config.Settings;
import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
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
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This replica's standing in the connection budget, re-judged every membership heartbeat period from the live
 * members' records and {@code max_connections}, so that readiness and metrics never wait for Redis or PostgreSQL; and
 * the live capacity report behind {@code GET /api/cluster/capacity}.
 */
@ApplicationScoped
public class CapacityGuard {

    private static final Logger LOG = Logger.getLogger(CapacityGuard.class.getName());

    /** WITHIN and EXCEEDED are verdicts; UNKNOWN means the budget could not be judged (no membership yet, no answer). */
    public enum Standing {
        WITHIN,
        EXCEEDED,
        UNKNOWN
    }

    /** The last judgement: standing, the figures behind it, and the headroom in replicas of this pool size. */
    public record Verdict(Standing standing, String reason, int headroomReplicas) {}

    /** Everything an operator needs to decide whether the cluster can grow, read live. */
    public record CapacityReport(
            int maxConnections,
            String maxConnectionsFrom,
            int serverMaxConnections,
            int superuserReservedConnections,
            int reserve,
            int limit,
            int livePoolSum,
            int poolMax,
            int headroomReplicas,
            int connectionsInUse,
            List<ServerConnections.Group> connectionsByRoleAndApplication,
            List<ConnectionBudget.Seat> members,
            Self self) {}

    /** This replica's seat in the budget as the report computed it. */
    public record Self(String instanceId, Standing standing, String reason) {}

    @Inject
    Replica replica;

    @Inject
    Membership membership;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    private BudgetSettings settings;
    private ScheduledFuture<?> check;
    private volatile Verdict verdict = new Verdict(Standing.UNKNOWN, "not judged yet", 0);

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: the guard judges from deployment on, before anyone asks for readiness
    }

    @PostConstruct
    void start() {
        Settings config = Settings.fromMicroProfileConfig();
        settings = BudgetSettings.from(config);
        long period = ClusterSettings.from(config).heartbeat().toMillis();
        check = scheduler.scheduleWithFixedDelay(this::judge, 0, period, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (check != null) {
            check.cancel(true);
        }
    }

    void judge() {
        Verdict next;
        try {
            next = verdictOf(ConnectionBudget.allocate(maxConnections(), settings.reserve(), membership.members()));
        } catch (SQLException | RuntimeException e) {
            next = new Verdict(
                    Standing.UNKNOWN, "cannot judge the connection budget: " + e, verdict.headroomReplicas());
        }
        if (next.standing() != verdict.standing()) {
            LOG.log(
                    next.standing() == Standing.EXCEEDED ? Level.WARNING : Level.INFO,
                    "connection budget: " + next.standing() + " (" + next.reason() + ")");
        }
        verdict = next;
    }

    private Verdict verdictOf(ConnectionBudget budget) {
        int headroom = budget.headroomReplicas(replica.dbPoolMax());
        return budget.seat(replica.instanceId())
                .map(seat ->
                        new Verdict(seat.fits() ? Standing.WITHIN : Standing.EXCEEDED, budget.explain(seat), headroom))
                .orElseGet(() -> new Verdict(
                        Standing.UNKNOWN,
                        "not a live member yet (no membership heartbeat "
                                + "succeeded), so its place in the budget is unknown",
                        headroom));
    }

    private int maxConnections() throws SQLException {
        if (settings.maxConnectionsOverride().isPresent()) {
            return settings.maxConnectionsOverride().getAsInt();
        }
        try (Connection c = dataSource.getConnection()) {
            return ServerConnections.maxConnections(c);
        }
    }

    /** The last judgement (no I/O). */
    public Verdict verdict() {
        return verdict;
    }

    /** Reads PostgreSQL and Redis now; refused as {@link Refusal#UNAVAILABLE} when either does not answer. */
    public CapacityReport report() {
        try {
            return read();
        } catch (SQLException e) {
            throw RefusedException.unavailable("PostgreSQL did not answer: " + e.getMessage(), 1);
        } catch (JedisException e) {
            throw RefusedException.unavailable("Redis did not answer: " + e.getMessage(), 1);
        }
    }

    private CapacityReport read() throws SQLException {
        ServerConnections server;
        try (Connection c = dataSource.getConnection()) {
            server = ServerConnections.read(c);
        }
        int max = settings.maxConnections(server.maxConnections());
        ConnectionBudget budget = ConnectionBudget.allocate(max, settings.reserve(), membership.members());
        Verdict self = verdictOf(budget);
        return new CapacityReport(
                max,
                settings.maxConnectionsOverride().isPresent() ? "DB_MAX_CONNECTIONS_OVERRIDE" : "server",
                server.maxConnections(),
                server.superuserReservedConnections(),
                settings.reserve(),
                budget.limit(),
                budget.poolSum(),
                replica.dbPoolMax(),
                self.headroomReplicas(),
                server.inUseTotal(),
                server.inUse(),
                budget.seats(),
                new Self(replica.instanceId(), self.standing(), self.reason()));
    }
}
