package com.advwell.cluster.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The epoch-fenced slot ledger that both leader-only tasks ({@link TaskLedger}, {@code task_runs}) and client
 * schedules ({@code ScheduleLedger}, {@code schedule_runs}) record their runs in: one row per key and slot, and no
 * claim from a leadership term older than the newest one the table holds for that key. The fencing rule and the
 * retention rule are written here once, for a {@link Table}; each ledger adds what its own rows mean.
 */
public final class SlotLedger {

    /** The ledger tables (Flyway migrations V2 and V3): their key and slot columns and the row retention keeps. */
    public enum Table {
        /**
         * Leader-only tasks. Retention keeps each task's newest slot: it carries the task's last slot (for misfire
         * handling) and newest epoch (for fencing).
         */
        TASK_RUNS("task_runs", "task", "scheduled_at", "scheduled_at DESC"),
        /**
         * Client schedules. Retention keeps each schedule's newest slot of its newest epoch, the row the stale-term
         * check compares with ("run now" rows have epoch 0 and may be newer).
         */
        SCHEDULE_RUNS("schedule_runs", "schedule_id", "slot", "epoch DESC, slot DESC");

        private final String tableName;
        private final String key;
        private final String slot;
        /** The first row of a key in this order (of the key's own columns) is the one retention never deletes. */
        private final String kept;

        Table(String tableName, String key, String slot, String kept) {
            this.tableName = tableName;
            this.key = key;
            this.slot = slot;
            this.kept = kept;
        }
    }

    /** Work on a connection whose transaction {@link #inTransaction} commits or rolls back. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final Table table;
    private final String claim;

    public SlotLedger(DataSource dataSource, Table table) {
        this.dataSource = dataSource;
        this.table = table;
        this.claim = "INSERT INTO " + table.tableName + " (" + table.key + ", " + table.slot + ", epoch, instance_id,"
                + " trigger, outcome, started_at, finished_at)"
                + " SELECT ?, ?, ?, ?, ?, ?, clock_timestamp(), CASE WHEN ? = 'SKIPPED' THEN clock_timestamp() END"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table.tableName + " WHERE " + table.key + " = ? AND epoch > ?)"
                + " ON CONFLICT (" + table.key + ", " + table.slot + ") DO NOTHING";
    }

    /**
     * Runs {@code work} in a local transaction of its own, committed before this returns, so that a claim is visible
     * to every replica before the run it guards starts (whatever transaction that run is in).
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.on(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * Serializes the claims of {@code key} until {@code c}'s transaction ends (a transaction-scoped advisory lock), so
     * that once a claim of a newer epoch is committed, every later claim of an older epoch sees it. For callers that do
     * not already hold a lock on the key (client schedules hold their {@code schedules} row).
     */
    public void serialize(Connection c, String key) throws SQLException {
        try (PreparedStatement lock =
                c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('" + table.tableName + ":' || ?))")) {
            lock.setString(1, key);
            lock.execute();
        }
    }

    /**
     * Records in {@code c}'s transaction that {@code instanceId}, leading in {@code epoch}, takes {@code slot} of
     * {@code key}, unless the slot is taken or the table holds a newer epoch for the key. A SKIPPED outcome is recorded
     * as finished at once. Returns whether the row is ours.
     */
    public boolean claim(
            Connection c, String key, Instant slot, long epoch, String instanceId, Enum<?> trigger, Enum<?> outcome)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(claim)) {
            st.setString(1, key);
            st.setObject(2, utc(slot));
            st.setLong(3, epoch);
            st.setString(4, instanceId);
            st.setString(5, trigger.name());
            st.setString(6, outcome.name());
            st.setString(7, outcome.name());
            st.setString(8, key);
            st.setLong(9, epoch);
            return st.executeUpdate() == 1;
        }
    }

    /** The newest epoch the table holds for {@code key} (0 when none). */
    public long newestEpoch(Connection c, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT coalesce(max(epoch), 0) FROM " + table.tableName + " WHERE " + table.key + " = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Deletes rows whose slot is before {@code cutoff}, except the row each key keeps (see {@link Table}). Returns how
     * many rows went.
     */
    public int prune(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("DELETE FROM " + table.tableName + " r WHERE r." + table.slot
                        + " < ? AND r." + table.slot + " <> (SELECT n." + table.slot + " FROM " + table.tableName + " n"
                        + " WHERE n." + table.key + " = r." + table.key + " ORDER BY " + table.kept + " LIMIT 1)")) {
            st.setObject(1, utc(cutoff));
            return st.executeUpdate();
        }
    }

    /** A timestamp as the JDBC driver binds it to {@code TIMESTAMPTZ}. */
    public static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
