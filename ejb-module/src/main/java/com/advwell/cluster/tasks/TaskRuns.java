package com.advwell.cluster.tasks;

import com.advwell.cluster.tasks.TaskLedger.ClaimResult;
import com.advwell.cluster.tasks.TaskLedger.Outcome;
import com.advwell.cluster.tasks.TaskLedger.Trigger;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The ledger in the container. Outside any container transaction on purpose: a claim must be committed before the
 * task's body starts (whatever transaction the body runs in), so that another replica reaching the same slot sees it.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TaskRuns {

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    private TaskLedger ledger;

    @PostConstruct
    void init() {
        ledger = new TaskLedger(dataSource);
    }

    public ClaimResult claim(String task, Instant slot, long epoch, String instanceId, Trigger trigger, Outcome outcome)
            throws SQLException {
        return ledger.claim(task, slot, epoch, instanceId, trigger, outcome);
    }

    public void finish(String task, Instant slot, String instanceId, long epoch, Outcome outcome, String error)
            throws SQLException {
        ledger.finish(task, slot, instanceId, epoch, outcome, error);
    }

    public Optional<Instant> lastSlot(String task) throws SQLException {
        return ledger.lastSlot(task);
    }

    public Optional<Instant> lastSlotBefore(String task, long epoch) throws SQLException {
        return ledger.lastSlotBefore(task, epoch);
    }

    public Optional<Instant> lastSlotOfTermBefore(String task, long epoch, Instant slot) throws SQLException {
        return ledger.lastSlotOfTermBefore(task, epoch, slot);
    }

    public Set<Instant> recorded(String task, Instant after, Instant atOrBefore) throws SQLException {
        return ledger.recorded(task, after, atOrBefore);
    }
}
