package com.advwell.cluster.tasks;

import com.advwell.cluster.leader.LeaderElection;
import com.advwell.cluster.tasks.TaskLedger.ClaimResult;
import com.advwell.cluster.tasks.TaskLedger.Outcome;
import com.advwell.cluster.tasks.TaskLedger.Trigger;
import com.advwell.platform.instance.Replica;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.AroundTimeout;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.Serializable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a {@link LeaderOnly} timer's body only on the current leader and at most once per slot across replicas:
 * <ol>
 * <li>not leader (or the task's enabling setting is off): return at once;</li>
 * <li>the slot is the latest time of the method's {@code @Schedule} at or before the firing, i.e. the whole second
 * (minute, hour...) the firing was due. EJB timers never fire early, so a firing delivered within one period of its
 * due time maps to its own slot; one delivered later than a whole period maps to the newest due slot;</li>
 * <li>claim the slot in the ledger with this term's epoch (committed before the body runs): a taken slot is
 * skipped, and a claim refused because the ledger holds a newer epoch ends this replica's term;</li>
 * <li>run the body and record SUCCEEDED or FAILED with the error. A failure is logged, not rethrown, so the
 * container does not retry a slot the ledger already holds; any container transaction is marked for rollback.</li>
 * </ol>
 * Enabled without beans.xml by its {@code @Priority}.
 */
@LeaderOnly
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 100)
public class LeaderOnlyInterceptor implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(LeaderOnlyInterceptor.class.getName());
    /** The slot a catch-up call is for; set by {@link #catchUp}, read by {@link #invoke}. */
    private static final ThreadLocal<Instant> CATCH_UP_SLOT = new ThreadLocal<>();

    @Inject
    LeaderElection election;

    @Inject
    GuardedTasks tasks;

    @Inject
    TaskRuns runs;

    @Inject
    Replica replica;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** Calls {@code call} (a business call of a guarded method) as the late run of {@code slot}. */
    static Object catchUp(Instant slot, Callable<Object> call) throws Exception {
        CATCH_UP_SLOT.set(slot);
        try {
            return call.call();
        } finally {
            CATCH_UP_SLOT.remove();
        }
    }

    @AroundTimeout
    public Object timeout(InvocationContext ctx) throws Exception {
        return guard(ctx, null);
    }

    @AroundInvoke
    public Object invoke(InvocationContext ctx) throws Exception {
        Instant slot = CATCH_UP_SLOT.get();
        if (slot == null) {
            throw new IllegalStateException(ctx.getMethod().getName()
                    + " is @LeaderOnly: it runs from its timer or as a catch-up, not by a direct call");
        }
        CATCH_UP_SLOT.remove(); // the body's own calls are not catch-ups
        return guard(ctx, slot);
    }

    private Object guard(InvocationContext ctx, Instant catchUpSlot) throws Exception {
        GuardedTask task = tasks.task(ctx.getMethod());
        if (!task.enabled() || !election.isLeader()) {
            return null;
        }
        long epoch = election.epoch();
        Instant slot = catchUpSlot != null ? catchUpSlot : task.slotAt(Instant.now());
        Trigger trigger = catchUpSlot != null ? Trigger.CATCH_UP : Trigger.TIMER;
        String me = replica.instanceId();
        ClaimResult claim;
        try {
            claim = runs.claim(task.name(), slot, epoch, me, trigger, Outcome.RUNNING);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, task.name() + " slot " + slot + " not run: the ledger could not be written", e);
            return null;
        }
        switch (claim.claim()) {
            case TAKEN:
                LOG.fine(() -> task.name() + " slot " + slot + " already recorded; skipped");
                return null;
            case STALE_EPOCH:
                LOG.warning(() -> task.name() + " slot " + slot + " refused: epoch " + epoch + " is older than "
                        + claim.newestEpoch() + " in the ledger; stepping down");
                election.fenced(claim.newestEpoch());
                return null;
            default:
                break;
        }
        if (trigger == Trigger.TIMER) {
            recordMissedInTerm(task, slot, epoch);
        }
        try {
            Object result = ctx.proceed();
            finish(task, slot, epoch, Outcome.SUCCEEDED, null);
            return result;
        } catch (Exception e) {
            LOG.log(Level.WARNING, task.name() + " slot " + slot + " failed", e);
            finish(task, slot, epoch, Outcome.FAILED, e.toString());
            if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
                transactions.setRollbackOnly();
            }
            return null;
        }
    }

    /**
     * A busy or paused container can fire a timer so late that its slot is computed as the next one, so a slot of
     * this term goes unfired. Such slots (see {@link MisfirePlan#missedInTerm}) are recorded as skipped (the slot just
     * claimed is the newer run), so a gap in the ledger always has a row that explains it. Gaps between terms are the
     * leadership change's, handled by {@link GuardedTasks} with the task's policy.
     */
    private void recordMissedInTerm(GuardedTask task, Instant slot, long epoch) {
        try {
            List<Instant> missed = MisfirePlan.missedInTerm(
                    task.slots(),
                    runs.lastSlotOfTermBefore(task.name(), epoch, slot),
                    election.gainedAt(epoch),
                    slot,
                    GuardedTasks.MAX_MISSED);
            for (Instant m : missed) {
                runs.claim(task.name(), m, epoch, replica.instanceId(), Trigger.MISFIRE, Outcome.SKIPPED);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, task.name() + ": slots missed before " + slot + " could not be recorded", e);
        }
    }

    private void finish(GuardedTask task, Instant slot, long epoch, Outcome outcome, String error) {
        try {
            runs.finish(task.name(), slot, replica.instanceId(), epoch, outcome, error);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, task.name() + " slot " + slot + " ran but its outcome was not recorded", e);
        }
    }
}
