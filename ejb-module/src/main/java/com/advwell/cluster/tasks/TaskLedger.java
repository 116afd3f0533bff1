package com.advwell.cluster.tasks;

import static com.advwell.cluster.tasks.SlotLedger.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The {@code task_runs} ledger in plain JDBC, each call in a short local transaction of its own so a claim is
 * committed (and visible to every replica) before the task's body starts. Used by the container through
 * {@link TaskRuns} and directly by tests. The claim is the {@link SlotLedger}'s epoch-fenced one; retention is
 * {@link LedgerRetention}'s.
 */
public final class TaskLedger {

    /** The outcome of a claim on a slot. */
    public enum Claim {
        /** The row is ours: run the body. */
        CLAIMED,
        /** Another run (another replica, or an earlier firing) already has this slot. */
        TAKEN,
        /** The ledger holds a newer epoch for this task: this leader's term is over. */
        STALE_EPOCH
    }

    /** A claim's result and the newest epoch the ledger holds for the task (0 when none). */
    public record ClaimResult(Claim claim, long newestEpoch) {}

    public enum Trigger {
        TIMER,
        CATCH_UP,
        MISFIRE
    }

    public enum Outcome {
        RUNNING,
        SUCCEEDED,
        FAILED,
        SKIPPED
    }

    private final DataSource dataSource;
    private final SlotLedger slots;

    public TaskLedger(DataSource dataSource) {
        this.dataSource = dataSource;
        this.slots = new SlotLedger(dataSource, SlotLedger.Table.TASK_RUNS);
    }

    /**
     * Records that {@code instanceId}, leading in {@code epoch}, takes {@code slot} of {@code task} (outcome RUNNING,
     * or SKIPPED for a slot given up). Claims of one task are serialized by a transaction-scoped advisory lock, so
     * once any claim of a newer epoch is committed, every claim of an older epoch is refused.
     */
    public ClaimResult claim(String task, Instant slot, long epoch, String instanceId, Trigger trigger, Outcome outcome)
            throws SQLException {
        return slots.inTransaction(c -> {
            slots.serialize(c, task);
            boolean inserted = slots.claim(c, task, slot, epoch, instanceId, trigger, outcome);
            long newest = slots.newestEpoch(c, task);
            if (inserted) {
                return new ClaimResult(Claim.CLAIMED, newest);
            }
            return new ClaimResult(newest > epoch ? Claim.STALE_EPOCH : Claim.TAKEN, newest);
        });
    }

    /** Records how the run of a claimed slot ended. */
    public void finish(String task, Instant slot, String instanceId, long epoch, Outcome outcome, String error)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement("UPDATE task_runs SET finished_at = clock_timestamp(), outcome = ?,"
                                + " error = ? WHERE task = ? AND scheduled_at = ? AND instance_id = ? AND epoch = ?")) {
            st.setString(1, outcome.name());
            st.setString(2, error);
            st.setString(3, task);
            st.setObject(4, utc(slot));
            st.setString(5, instanceId);
            st.setLong(6, epoch);
            st.executeUpdate();
        }
    }

    /** The newest slot recorded for the task, whatever its outcome. */
    public Optional<Instant> lastSlot(String task) throws SQLException {
        return newestSlot("task = ?", task);
    }

    /**
     * The newest slot recorded for the task by a term older than {@code epoch}: where a new leader's gap begins.
     */
    public Optional<Instant> lastSlotBefore(String task, long epoch) throws SQLException {
        return newestSlot("task = ? AND epoch < ?", task, epoch);
    }

    /** The newest slot before {@code slot} that the term {@code epoch} itself recorded for the task. */
    public Optional<Instant> lastSlotOfTermBefore(String task, long epoch, Instant slot) throws SQLException {
        return newestSlot("task = ? AND epoch = ? AND scheduled_at < ?", task, epoch, utc(slot));
    }

    private Optional<Instant> newestSlot(String where, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT max(scheduled_at) FROM task_runs WHERE " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
            }
        }
    }

    /** The slots of the task recorded in {@code (after, atOrBefore]}. */
    public Set<Instant> recorded(String task, Instant after, Instant atOrBefore) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT scheduled_at FROM task_runs WHERE task = ?"
                        + " AND scheduled_at > ? AND scheduled_at <= ?")) {
            st.setString(1, task);
            st.setObject(2, utc(after));
            st.setObject(3, utc(atOrBefore));
            Set<Instant> slots = new HashSet<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    slots.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
            return slots;
        }
    }

    /** How many rows the ledger holds (for tests and diagnostics). */
    public long count(String task) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT count(*) FROM task_runs WHERE task = ?")) {
            st.setString(1, task);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
