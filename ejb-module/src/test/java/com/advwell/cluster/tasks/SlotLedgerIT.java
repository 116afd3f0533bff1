package com.advwell.cluster.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.cluster.tasks.SlotLedger.Table;
import com.advwell.testsupport.MigratedSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Both ledger tables through the one {@link SlotLedger} against a real PostgreSQL: the same fencing rule for each,
 * and the retention rule each table states.
 */
class SlotLedgerIT {

    @RegisterExtension
    static final MigratedSchema DB = new MigratedSchema("it_slots");

    private static final PGSimpleDataSource ds = DB.dataSource();

    /** Trigger and outcome names that both tables' CHECK constraints accept. */
    private enum Run {
        CATCH_UP,
        RUNNING
    }

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void tenant() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 't1', now())");
        }
    }

    /** A fresh key of the table: a task name, or a client schedule (schedule_runs rows reference one). */
    private static String key(Table table) throws SQLException {
        String id = UUID.randomUUID().toString();
        if (table == Table.SCHEDULE_RUNS) {
            try (Connection c = ds.getConnection();
                    PreparedStatement st = c.prepareStatement("INSERT INTO schedules (id, tenant_id, name, cron,"
                            + " cron_dialect, time_zone, queue, payload, paused, created_at, updated_at)"
                            + " VALUES (?, 't1', 'n', '* * * * *', 'UNIX', 'UTC', 'q', '{}', true, now(), now())")) {
                st.setString(1, id);
                st.executeUpdate();
            }
        }
        return id;
    }

    private static boolean claim(SlotLedger ledger, String key, Instant slot, long epoch) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return ledger.claim(c, key, slot, epoch, "r1", Run.CATCH_UP, Run.RUNNING);
        }
    }

    private static long newestEpoch(SlotLedger ledger, String key) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return ledger.newestEpoch(c, key);
        }
    }

    @ParameterizedTest
    @EnumSource(Table.class)
    void aSlotIsTakenOnceAndAnOlderTermIsRefusedPerKey(Table table) throws Exception {
        SlotLedger ledger = new SlotLedger(ds, table);
        String a = key(table);
        String b = key(table);
        assertThat(newestEpoch(ledger, a)).isZero();
        assertThat(claim(ledger, a, T, 3)).isTrue();
        assertThat(claim(ledger, a, T, 3)).as("taken").isFalse();
        assertThat(claim(ledger, a, T.plusSeconds(60), 4)).isTrue();
        assertThat(claim(ledger, a, T.plusSeconds(120), 3)).as("stale term").isFalse();
        assertThat(newestEpoch(ledger, a)).isEqualTo(4);
        // another key is fenced by its own epochs only
        assertThat(claim(ledger, b, T.plusSeconds(120), 3)).isTrue();
        assertThat(newestEpoch(ledger, b)).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Table.class)
    void retentionKeepsTheRowTheTableNames(Table table) throws Exception {
        SlotLedger ledger = new SlotLedger(ds, table);
        String key = key(table);
        // the newest slot (epoch 1) and the newest epoch (an older slot, epoch 2) are different rows
        assertThat(claim(ledger, key, T, 1)).isTrue();
        assertThat(claim(ledger, key, T.plusSeconds(120), 1)).isTrue();
        assertThat(claim(ledger, key, T.plusSeconds(60), 2)).isTrue();
        String other = key(table);
        assertThat(claim(ledger, other, T.plusSeconds(3600), 1)).isTrue();

        // at least these two rows (the other test's older rows of this table go too)
        assertThat(ledger.prune(T.plusSeconds(600))).isGreaterThanOrEqualTo(2);

        Instant kept = table == Table.TASK_RUNS ? T.plusSeconds(120) : T.plusSeconds(60);
        assertThat(slots(table, key)).containsExactly(kept);
        assertThat(slots(table, other)).containsExactly(T.plusSeconds(3600));
    }

    private static List<Instant> slots(Table table, String key) throws SQLException {
        String sql = table == Table.TASK_RUNS
                ? "SELECT scheduled_at FROM task_runs WHERE task = ?"
                : "SELECT slot FROM schedule_runs WHERE schedule_id = ?";
        try (Connection c = ds.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                List<Instant> slots = new ArrayList<>();
                while (rs.next()) {
                    slots.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
                return slots;
            }
        }
    }
}
