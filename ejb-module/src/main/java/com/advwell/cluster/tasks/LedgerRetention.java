package com.advwell.cluster.tasks;

import com.advwell.cluster.control.ClusterSettings;
import com.advwell.cluster.tasks.SlotLedger.Table;
import com.advwell.platform.config.Settings;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Hourly, on the leader: deletes the rows of both slot ledgers older than {@code LEDGER_RETENTION_DAYS}, each key
 * keeping the row its fencing needs (see {@link Table}). Two guarded tasks, one per table, so each keeps its own name
 * and history in {@code task_runs}.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerRetention {

    private static final Logger LOG = Logger.getLogger(LedgerRetention.class.getName());

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    /** {@code task_runs}: each task keeps its newest row. */
    @Schedule(minute = "17", hour = "*", persistent = false)
    @LeaderOnly(name = "ledger-retention")
    public void pruneTaskRuns() throws SQLException {
        prune(Table.TASK_RUNS, "ledger retention");
    }

    /** {@code schedule_runs}: each client schedule keeps the row that carries its newest epoch. */
    @Schedule(minute = "23", hour = "*", persistent = false)
    @LeaderOnly(name = "schedule-runs-retention")
    public void pruneScheduleRuns() throws SQLException {
        prune(Table.SCHEDULE_RUNS, "schedule runs retention");
    }

    private void prune(Table table, String what) throws SQLException {
        int days = ClusterSettings.from(Settings.fromMicroProfileConfig()).ledgerRetentionDays();
        int deleted = new SlotLedger(dataSource, table).prune(Instant.now().minus(Duration.ofDays(days)));
        if (deleted > 0) {
            LOG.info(() -> what + ": deleted " + deleted + " runs older than " + days + " days");
        }
    }
}
