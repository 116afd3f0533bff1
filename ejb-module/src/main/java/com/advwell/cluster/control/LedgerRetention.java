package com.advwell.cluster.control;

import com.advwell.platform.config.Settings;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/** Hourly, on the leader: deletes ledger rows older than {@code LEDGER_RETENTION_DAYS} (each task keeps its newest). */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerRetention {

    private static final Logger LOG = Logger.getLogger(LedgerRetention.class.getName());

    @Inject
    TaskRuns runs;

    @Schedule(minute = "17", hour = "*", persistent = false)
    @LeaderOnly(name = "ledger-retention")
    public void prune() throws SQLException {
        int days = ClusterSettings.from(Settings.fromMicroProfileConfig()).ledgerRetentionDays();
        int deleted = runs.prune(Instant.now().minus(Duration.ofDays(days)));
        if (deleted > 0) {
            LOG.info(() -> "ledger retention: deleted " + deleted + " runs older than " + days + " days");
        }
    }
}
