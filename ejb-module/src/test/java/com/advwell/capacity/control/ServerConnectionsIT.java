package com.advwell.capacity.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.testsupport.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The server's limits and its client connections by role and application, as a replica reads them. */
class ServerConnectionsIT {

    @Test
    void readsTheLimitsAndCountsConnectionsByApplicationName() throws Exception {
        String app = TestServices.uniqueName("it-conn");
        PGSimpleDataSource ds = TestServices.dataSource("public");
        ds.setApplicationName(app);
        try (Connection first = ds.getConnection();
                Connection second = ds.getConnection();
                Statement st = first.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('max_connections')::int, current_user")) {
            rs.next();
            ServerConnections server = ServerConnections.read(second);
            assertThat(server.maxConnections())
                    .isEqualTo(rs.getInt(1))
                    .isEqualTo(ServerConnections.maxConnections(first));
            assertThat(server.superuserReservedConnections()).isNotNegative();
            assertThat(server.inUse()).contains(new ServerConnections.Group(rs.getString(2), app, 2));
            assertThat(server.inUseTotal()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(server.maxConnections());
        }
    }
}
