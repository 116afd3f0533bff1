package com.advwell.platform.db;

import com.advwell.platform.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date with Flyway before anything else uses the database. Replicas that start at the same
 * moment serialize on a PostgreSQL advisory lock, so exactly one of them applies each migration.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());
    /** Advisory lock key shared by every replica of this application ("advwell" in ASCII). */
    private static final long LOCK_KEY = 0x616476_77656c6cL;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    @PostConstruct
    void onStart() {
        Settings settings = Settings.fromMicroProfileConfig();
        String schema = settings.string("DB_SCHEMA", "public");
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new com.advwell.platform.config.InvalidSettingException(
                    "DB_SCHEMA", "must be a lower-case SQL identifier");
        }
        Duration wait = settings.millis("DB_STARTUP_WAIT_MS", 60_000, 0, 600_000);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                MigrateResult result = migrate(dataSource, schema);
                LOG.info(() -> "database schema '" + schema + "' at version " + result.targetSchemaVersion + " ("
                        + result.migrationsExecuted + " migrations applied by this replica)");
                return;
            } catch (SQLException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("database migration failed: " + e.getMessage(), e);
                }
                LOG.warning(() -> "database not ready for migration (" + e.getMessage() + "); retrying");
                sleep();
            }
        }
    }

    /**
     * Applies the migrations to {@code schema}, creating it if needed. Safe to call from several processes at once:
     * they serialize on an advisory lock and the later ones find nothing to do.
     */
    public static MigrateResult migrate(DataSource dataSource, String schema) throws SQLException {
        try (Connection lock = dataSource.getConnection();
                Statement st = lock.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                // CREATE SCHEMA IF NOT EXISTS still races between sessions; under the lock it cannot
                st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                return Flyway.configure(Migrations.class.getClassLoader())
                        .dataSource(dataSource)
                        .schemas(schema)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
            } finally {
                st.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }
}
