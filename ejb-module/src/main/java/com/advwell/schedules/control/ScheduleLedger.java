package com.advwell.schedules.control;

import static com.advwell.cluster.tasks.SlotLedger.utc;

import com.advwell.cluster.tasks.SlotLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Claims and advances the slots of client schedules in plain JDBC ({@code schedules.next_fire_at} and the
 * {@code schedule_runs} ledger), each call in a local transaction of its own so a claim is committed before its
 * action runs. Used by the container through {@link ScheduleFiring} and {@link Schedules}, and directly by tests. The
 * claim is the {@link SlotLedger}'s epoch-fenced one; retention is {@code LedgerRetention}'s.
 */
public final class ScheduleLedger {

    /** PostgreSQL's SQLSTATE for a foreign key violation: the run's schedule row is gone. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private static final Logger LOG = Logger.getLogger(ScheduleLedger.class.getName());

    public enum Trigger {
        SCHEDULE,
        RUN_NOW,
        CATCH_UP
    }

    public enum Outcome {
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    /** A slot this firing claimed: run its action, then {@link #finish} it. */
    public record Claimed(
            String scheduleId, String tenantId, String queue, String payload, Instant slot, Trigger trigger) {}

    /**
     * What one firing did: the slots it claimed and, when the ledger refused a claim because it holds a newer
     * epoch for a schedule, that epoch (0 otherwise): this leader's term is over.
     */
    public record Firing(List<Claimed> claimed, long newerEpoch) {}

    private static final String DUE = """
            SELECT id, tenant_id, cron, time_zone, queue, payload, next_fire_at FROM schedules
            WHERE NOT paused AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ? FOR UPDATE SKIP LOCKED""";

    private static final String RUN_COLUMNS =
            "schedule_id, slot, epoch, instance_id, trigger, outcome, started_at, finished_at, error, detail";

    private final DataSource dataSource;
    private final SlotLedger slots;

    public ScheduleLedger(DataSource dataSource) {
        this.dataSource = dataSource;
        this.slots = new SlotLedger(dataSource, SlotLedger.Table.SCHEDULE_RUNS);
    }

    /**
     * Takes up to {@code limit} schedules due at {@code now} that no concurrent firing holds (row locks, skip
     * locked), claims one slot of each and advances its {@code next_fire_at} past the claimed slot, all in one
     * transaction. The slot is {@code next_fire_at} when that is the only due slot; when more are due (the leader
     * was away) it is the newest of them, once, as CATCH_UP, and the older ones leave no row.
     */
    public Firing fireDue(Instant now, long epoch, String instanceId, int limit) throws SQLException {
        return slots.inTransaction(c -> {
            List<Claimed> claimed = new ArrayList<>();
            long newer = 0;
            try (PreparedStatement due = c.prepareStatement(DUE)) {
                due.setObject(1, utc(now));
                due.setInt(2, limit);
                try (ResultSet rs = due.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        Instant next = rs.getObject("next_fire_at", OffsetDateTime.class)
                                .toInstant();
                        CronSpec spec;
                        try {
                            spec = CronSpec.parse(rs.getString("cron"), rs.getString("time_zone"));
                        } catch (RuntimeException e) {
                            // validated when written, so only a library or tz-data change gets here; one such
                            // row must not fail the whole batch every second: it stops firing instead
                            LOG.log(
                                    Level.WARNING,
                                    "schedule " + id + " can no longer be parsed; it will not fire"
                                            + " until it is replaced",
                                    e);
                            advance(c, id, null);
                            continue;
                        }
                        Instant latest = spec.latestAtOrBefore(now)
                                .filter(l -> l.isAfter(next))
                                .orElse(next);
                        Trigger trigger = latest.equals(next) ? Trigger.SCHEDULE : Trigger.CATCH_UP;
                        long refusedBy = claim(c, id, latest, epoch, instanceId, trigger);
                        if (refusedBy > epoch) {
                            newer = Math.max(newer, refusedBy);
                            continue; // a newer term owns this schedule; leave it to that leader
                        }
                        if (refusedBy == 0) {
                            claimed.add(new Claimed(
                                    id,
                                    rs.getString("tenant_id"),
                                    rs.getString("queue"),
                                    rs.getString("payload"),
                                    latest,
                                    trigger));
                        }
                        advance(c, id, spec.nextAfter(latest).orElse(null));
                    }
                }
            }
            return new Firing(List.copyOf(claimed), newer);
        });
    }

    /**
     * Returns 0 when claimed, the newest epoch of the schedule otherwise (taken slot or stale term). No advisory lock:
     * the firing holds the schedule's row lock, which serializes its claims.
     */
    private long claim(Connection c, String id, Instant slot, long epoch, String instanceId, Trigger trigger)
            throws SQLException {
        if (slots.claim(c, id, slot, epoch, instanceId, trigger, Outcome.RUNNING)) {
            return 0;
        }
        // a taken slot with no newer term is reported as the current epoch, never 0
        return Math.max(slots.newestEpoch(c, id), Math.max(epoch, 1));
    }

    private static void advance(Connection c, String id, Instant next) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE schedules SET next_fire_at = ? WHERE id = ?")) {
            st.setObject(1, next == null ? null : utc(next));
            st.setString(2, id);
            st.executeUpdate();
        }
    }

    /**
     * Records a "run now" of the schedule: slot = {@code now} truncated to milliseconds (moved on by a millisecond
     * while taken), trigger RUN_NOW, epoch 0 (it runs on the replica that took the request, not on the leader).
     * Empty when the schedule no longer exists: a delete that committed after the caller read it.
     */
    public Optional<Instant> claimRunNow(String scheduleId, Instant now, String instanceId) throws SQLException {
        Instant slot = now.truncatedTo(ChronoUnit.MILLIS);
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("INSERT INTO schedule_runs (schedule_id, slot, epoch,"
                        + " instance_id, trigger, outcome, started_at) VALUES (?, ?, 0, ?, 'RUN_NOW', 'RUNNING',"
                        + " clock_timestamp()) ON CONFLICT (schedule_id, slot) DO NOTHING")) {
            for (int attempt = 0; attempt < 100; attempt++, slot = slot.plusMillis(1)) {
                st.setString(1, scheduleId);
                st.setObject(2, utc(slot));
                st.setString(3, instanceId);
                if (st.executeUpdate() == 1) {
                    return Optional.of(slot);
                }
            }
        } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
        throw new SQLException("no free run-now slot for schedule " + scheduleId + " near " + now);
    }

    /** Records how the run of a claimed slot ended. */
    public void finish(String scheduleId, Instant slot, Outcome outcome, String error, String detail)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("UPDATE schedule_runs SET finished_at = clock_timestamp(),"
                        + " outcome = ?, error = ?, detail = ? WHERE schedule_id = ? AND slot = ?")) {
            st.setString(1, outcome.name());
            st.setString(2, error);
            st.setString(3, detail);
            st.setString(4, scheduleId);
            st.setObject(5, utc(slot));
            st.executeUpdate();
        }
    }

    /** The schedule's runs, newest slot first. */
    public List<ScheduleRun> runs(String scheduleId, int offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM schedule_runs"
                        + " WHERE schedule_id = ? ORDER BY slot DESC OFFSET ? LIMIT ?")) {
            st.setString(1, scheduleId);
            st.setInt(2, offset);
            st.setInt(3, limit);
            List<ScheduleRun> runs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    runs.add(run(rs));
                }
            }
            return runs;
        }
    }

    public Optional<ScheduleRun> run(String scheduleId, Instant slot) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "SELECT " + RUN_COLUMNS + " FROM schedule_runs" + " WHERE schedule_id = ? AND slot = ?")) {
            st.setString(1, scheduleId);
            st.setObject(2, utc(slot));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
        }
    }

    private static ScheduleRun run(ResultSet rs) throws SQLException {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new ScheduleRun(
                rs.getString("schedule_id"),
                rs.getObject("slot", OffsetDateTime.class).toInstant(),
                rs.getLong("epoch"),
                rs.getString("instance_id"),
                rs.getString("trigger"),
                rs.getString("outcome"),
                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                finished == null ? null : finished.toInstant(),
                rs.getString("error"),
                rs.getString("detail"));
    }
}
