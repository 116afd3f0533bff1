package com.advwell.schedules.control;

import com.advwell.cluster.leader.LeaderElection;
import com.advwell.cluster.tasks.LeaderOnly;
import com.advwell.cluster.tasks.Misfire;
import com.advwell.platform.errors.RefusedException;
import com.advwell.platform.instance.Replica;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The one timer behind all client schedules: every second, on the leader only, claims the due slots in
 * {@code schedule_runs} and runs their action. Every second so that a Quartz expression with seconds is served on
 * time; its own ledger row per second in {@code task_runs} is pruned by ledger retention. A missed second needs no
 * catch-up ({@link Misfire#SKIP}): the next firing finds every schedule that came due meanwhile, by its
 * {@code next_fire_at}.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ScheduleFiring {

    private static final Logger LOG = Logger.getLogger(ScheduleFiring.class.getName());
    /** Most schedules one firing takes; the rest wait for the next second. */
    static final int BATCH = 500;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    @Inject
    LeaderElection election;

    @Inject
    Replica replica;

    @Inject
    ScheduleAction action;

    private ScheduleLedger ledger;

    @PostConstruct
    void init() {
        ledger = new ScheduleLedger(dataSource);
    }

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
    @LeaderOnly(name = "client-schedules", misfire = Misfire.SKIP)
    public void fire() throws SQLException {
        ScheduleLedger.Firing firing = ledger.fireDue(Instant.now(), election.epoch(), replica.instanceId(), BATCH);
        if (firing.newerEpoch() > 0) {
            LOG.warning(() -> "client schedules: the ledger holds epoch " + firing.newerEpoch()
                    + ", newer than this leader's " + election.epoch() + "; stepping down");
            election.fenced(firing.newerEpoch());
        }
        for (ScheduleLedger.Claimed run : firing.claimed()) {
            perform(ledger, action, run);
        }
    }

    /** Runs a claimed slot's action and records its outcome; a failure is recorded, not thrown. */
    static void perform(ScheduleLedger ledger, ScheduleAction action, ScheduleLedger.Claimed run) {
        ScheduleLedger.Outcome outcome;
        String error = null;
        String detail = null;
        try {
            detail = action.perform(run);
            outcome = ScheduleLedger.Outcome.SUCCEEDED;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "schedule " + run.scheduleId() + " slot " + run.slot() + " failed", e);
            outcome = ScheduleLedger.Outcome.FAILED;
            // a refusal's message is meant for the schedule's owner; anything else keeps its class for the operator
            error = e instanceof RefusedException ? e.getMessage() : e.toString();
        }
        try {
            ledger.finish(run.scheduleId(), run.slot(), outcome, error, detail);
        } catch (SQLException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "schedule " + run.scheduleId() + " slot " + run.slot() + " ran but its outcome was not recorded",
                    e);
        }
    }
}
