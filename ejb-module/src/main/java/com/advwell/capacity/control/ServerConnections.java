package com.advwell.capacity.control;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What PostgreSQL says about its connections, read on a given JDBC connection: the server's limits and the client
 * connections open now by role and application_name (a replica's connections carry its instance id).
 */
public record ServerConnections(int maxConnections, int superuserReservedConnections, List<Group> inUse) {

    /** Client connections of one role and application_name. */
    public record Group(String role, String application, int connections) {}

    public static ServerConnections read(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(5);
            int max;
            int superuserReserved;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('max_connections')::int,"
                    + " current_setting('superuser_reserved_connections')::int")) {
                rs.next();
                max = rs.getInt(1);
                superuserReserved = rs.getInt(2);
            }
            List<Group> groups = new ArrayList<>();
            // usename and application_name are visible for every session, also without pg_read_all_stats
            try (ResultSet rs = st.executeQuery(
                    "SELECT coalesce(usename, ''), coalesce(application_name, ''), count(*)"
                            + " FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2")) {
                while (rs.next()) {
                    groups.add(new Group(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
            return new ServerConnections(max, superuserReserved, List.copyOf(groups));
        }
    }

    /** The server's max_connections alone (one cheap query, for the guard's periodic check). */
    public static int maxConnections(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(5);
            try (ResultSet rs = st.executeQuery("SELECT current_setting('max_connections')::int")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Client connections open now, over all roles and applications. */
    public int inUseTotal() {
        return inUse.stream().mapToInt(Group::connections).sum();
    }
}
