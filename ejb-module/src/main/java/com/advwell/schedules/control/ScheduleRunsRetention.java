package com.advwell.schedules.control;

import com.advwell.cluster.control.ClusterSettings;
import com.advwell.cluster.control.LeaderOnly;
import com.advwell.platform.config.Settings;
import jakarta.annotation.PostConstruct;
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
 * Hourly, on the leader: deletes client schedules' runs older than {@code LEDGER_RETENTION_DAYS}, the same setting
 * as {@code task_runs}; each schedule keeps the row that carries its newest epoch.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ScheduleRunsRetention {

    private static final Logger LOG = Logger.getLogger(ScheduleRunsRetention.class.getName());

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    private ScheduleLedger ledger;

    @PostConstruct
    void init() {
        ledger = new ScheduleLedger(dataSource);
    }

    @Schedule(minute = "23", hour = "*", persistent = false)
    @LeaderOnly(name = "schedule-runs-retention")
    public void prune() throws SQLException {
        int days = ClusterSettings.from(Settings.fromMicroProfileConfig()).ledgerRetentionDays();
        int deleted = ledger.prune(Instant.now().minus(Duration.ofDays(days)));
        if (deleted > 0) {
            LOG.info(() -> "schedule runs retention: deleted " + deleted + " runs older than " + days + " days");
        }
    }
}
