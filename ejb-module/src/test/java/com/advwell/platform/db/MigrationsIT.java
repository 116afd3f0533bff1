package com.advwell.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.testsupport.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several replicas starting at the same moment migrate one schema: each migration is applied exactly once. */
class MigrationsIT {

    private final String schema = TestServices.uniqueName("it_migrations");

    @AfterEach
    void drop() throws Exception {
        TestServices.dropSchema(schema);
    }

    @Test
    void concurrentStartsApplyEachMigrationOnce() throws Exception {
        int replicas = 6;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MigrateResult>> results = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            Callable<MigrateResult> replica = () -> {
                start.await();
                return Migrations.migrate(TestServices.dataSource(schema), schema);
            };
            results.add(pool.submit(replica));
        }
        start.countDown();
        int applied = 0;
        for (Future<MigrateResult> r : results) {
            applied += r.get().migrationsExecuted;
        }
        pool.shutdown();

        try (Connection c = TestServices.dataSource(schema).getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE success) FROM " + schema
                        + ".flyway_schema_history WHERE version IS NOT NULL")) {
            rs.next();
            int migrations = rs.getInt(1);
            assertThat(migrations).isPositive();
            assertThat(rs.getInt(2)).isEqualTo(migrations);
            assertThat(applied).as("migrations applied across all replicas").isEqualTo(migrations);
        }
    }
}
