package com.advwell.capacity.control;

import com.advwell.platform.config.Settings;
import java.util.OptionalInt;

/**
 * Settings of the connection budget: {@code DB_CONNECTION_RESERVE}, the connections kept out of the replicas' budget
 * for everything else, and {@code DB_MAX_CONNECTIONS_OVERRIDE}, which replaces the server's {@code max_connections}
 * (to test the guard with a small number, or to give this database only a share of a server).
 */
public record BudgetSettings(int reserve, OptionalInt maxConnectionsOverride) {

    /**
     * 20 covers PostgreSQL's superuser_reserved_connections (3 by default), a migration or psql session by hand, a
     * backup and a metrics exporter; a deployment with more such clients sets more (the Swarm stack keeps 50).
     */
    public static final int DEFAULT_RESERVE = 20;

    public static BudgetSettings from(Settings settings) {
        int reserve = settings.integer("DB_CONNECTION_RESERVE", DEFAULT_RESERVE, 0, 262_142);
        OptionalInt override = settings.optional("DB_MAX_CONNECTIONS_OVERRIDE").isPresent()
                ? OptionalInt.of(settings.integer("DB_MAX_CONNECTIONS_OVERRIDE", 0, 1, 262_143))
                : OptionalInt.empty();
        return new BudgetSettings(reserve, override);
    }

    /** The budget's max_connections: the override when set, else what the server says. */
    public int maxConnections(int serverMaxConnections) {
        return maxConnectionsOverride.orElse(serverMaxConnections);
    }
}
