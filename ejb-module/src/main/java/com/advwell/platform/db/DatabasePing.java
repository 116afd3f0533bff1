package com.advwell.platform.db;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/** Whether PostgreSQL answers a query on a pooled connection now, the database's counterpart of a Redis PING. */
@ApplicationScoped
public class DatabasePing {

    /** Long enough for a busy server, short enough that a readiness probe gets its answer before it times out. */
    private static final int TIMEOUT_SECONDS = 2;

    private static final String DATA_SOURCE = "jdbc/advwell";

    /**
     * Looked up by its global name when first needed, not injected: readiness is asked while the application is still
     * deploying, when the component environment of a library jar's bean is not bound yet (the injection failed with
     * "Lookup failed for java:comp/env/...DatabasePing/dataSource" in ClusterIT's fourth replica). The pool itself
     * exists from boot.
     */
    private volatile DataSource dataSource;

    /** Runs {@code SELECT 1}; returns the milliseconds it took, the wait for a pooled connection included. */
    public long pingNow() throws SQLException {
        long start = System.nanoTime();
        try (Connection c = dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.setQueryTimeout(TIMEOUT_SECONDS);
            st.execute("SELECT 1");
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private DataSource dataSource() throws SQLException {
        DataSource ds = dataSource;
        if (ds == null) {
            try {
                ds = InitialContext.doLookup(DATA_SOURCE);
            } catch (NamingException e) {
                throw new SQLException("no data source " + DATA_SOURCE + ": " + e.getMessage(), e);
            }
            dataSource = ds;
        }
        return ds;
    }
}
