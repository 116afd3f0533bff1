package com.advwell.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real PostgreSQL and Redis the integration tests talk to: the locally started services (scripts/ensure-services
 * starts them), addressed by TEST_PG_HOST/TEST_PG_PORT and TEST_REDIS_HOST/TEST_REDIS_PORT (defaults 127.0.0.1:5432
 * and 127.0.0.1:6379). With TEST_USE_DOCKER=true and a Docker engine that can pull postgres:15-alpine and
 * redis:7.0-alpine, Testcontainers starts them instead. Not by default: an engine may answer where no registry does
 * (the build machines: scripts/swarm starts one for the Swarm tests), and the pull would fail every test.
 * Every test isolates itself with its own schema or key prefix, so runs never see each other's data.
 */
public final class TestServices {

    private static final boolean DOCKER = dockerAvailable();
    private static PostgreSQLContainer<?> postgres;
    private static GenericContainer<?> redis;

    private TestServices() {}

    private static boolean dockerAvailable() {
        if (!"true".equals(System.getenv("TEST_USE_DOCKER"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    public static synchronized String pgHost() {
        return DOCKER ? postgres().getHost() : env("TEST_PG_HOST", "127.0.0.1");
    }

    public static synchronized int pgPort() {
        return DOCKER ? postgres().getMappedPort(5432) : Integer.parseInt(env("TEST_PG_PORT", "5432"));
    }

    public static String pgDatabase() {
        return DOCKER ? postgres().getDatabaseName() : env("TEST_PG_DB", "advwell");
    }

    public static String pgUser() {
        return DOCKER ? postgres().getUsername() : env("TEST_PG_USER", "advwell");
    }

    public static String pgPassword() {
        return DOCKER ? postgres().getPassword() : env("TEST_PG_PASSWORD", "advwell");
    }

    public static synchronized String redisHost() {
        return DOCKER ? redis().getHost() : env("TEST_REDIS_HOST", "127.0.0.1");
    }

    public static synchronized int redisPort() {
        return DOCKER ? redis().getMappedPort(6379) : Integer.parseInt(env("TEST_REDIS_PORT", "6379"));
    }

    /** A data source on a schema of its own (not created yet). */
    public static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {pgHost()});
        ds.setPortNumbers(new int[] {pgPort()});
        ds.setDatabaseName(pgDatabase());
        ds.setUser(pgUser());
        ds.setPassword(pgPassword());
        ds.setCurrentSchema(schema);
        ds.setApplicationName("advwell-test");
        return ds;
    }

    /** A fresh, unique, lower-case name for a schema or key prefix. */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
    }

    public static void dropSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/" + pgDatabase(), pgUser(), pgPassword());
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static PostgreSQLContainer<?> postgres() {
        if (postgres == null) {
            postgres = new PostgreSQLContainer<>("postgres:15-alpine")
                    .withDatabaseName("advwell")
                    .withUsername("advwell")
                    .withPassword("advwell");
            postgres.start();
        }
        return postgres;
    }

    private static GenericContainer<?> redis() {
        if (redis == null) {
            redis = new GenericContainer<>("redis:7.0-alpine").withExposedPorts(6379);
            redis.start();
        }
        return redis;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
