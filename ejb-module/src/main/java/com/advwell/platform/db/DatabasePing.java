package com.advwell.platform.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Whether PostgreSQL answers a query on a pooled connection now, the database's counterpart of a Redis PING. */
@ApplicationScoped
public class DatabasePing {

    /** Long enough for a busy server, short enough that a readiness probe gets its answer before it times out. */
    private static final int TIMEOUT_SECONDS = 2;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    /** Runs {@code SELECT 1}; returns the milliseconds it took, the wait for a pooled connection included. */
    public long pingNow() throws SQLException {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.setQueryTimeout(TIMEOUT_SECONDS);
            st.execute("SELECT 1");
            return (System.nanoTime() - start) / 1_000_000;
        }
    }
}
