package com.advwell.cluster.control;

import com.advwell.cluster.control.TaskLedger.ClaimResult;
import com.advwell.cluster.control.TaskLedger.Claim;
import com.advwell.cluster.control.TaskLedger.Outcome;
import com.advwell.cluster.control.TaskLedger.Trigger;
import com.advwell.platform.instance.Replica;
import jakarta.annotation.Resource;
import jakarta.ejb.Timer;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link LeaderOnly} tasks of the application and their misfire handling. When this replica becomes leader,
 * each enabled task whose ledger shows a last slot looks at the slots that came due after it, up to now:
 * with {@link Misfire#CATCH_UP} the newest of them runs once, late (through the bean, so the guard and the ledger
 * apply), and the older ones are recorded SKIPPED; with {@link Misfire#SKIP} all are recorded SKIPPED. A task with
 * no ledger row yet starts with its next slot. At most {@value #MAX_MISSED} missed slots per task are recorded.
 */
@ApplicationScoped
public class GuardedTasks {

    private static final Logger LOG = Logger.getLogger(GuardedTasks.class.getName());
    static final int MAX_MISSED = 1000;

    @Inject
    GuardedTaskExtension extension;

    @Inject
    LeaderElection election;

    @Inject
    TaskRuns runs;

    @Inject
    Replica replica;

    @Inject
    Instance<Object> beans;

    @Resource
    ManagedExecutorService executor;

    private final Map<Method, GuardedTask> tasks = new ConcurrentHashMap<>();

    /** The definition of a guarded method, read once. */
    public GuardedTask task(Method method) {
        return tasks.computeIfAbsent(method, GuardedTask::of);
    }

    /** Every guarded task found at deployment or seen firing since. */
    public List<GuardedTask> all() {
        Set<Method> methods = new LinkedHashSet<>(extension.methods());
        methods.addAll(tasks.keySet());
        return methods.stream().map(this::task).distinct().toList();
    }

    void onGained(@Observes LeadershipGained event) {
        executor.execute(() -> catchUp(event.epoch()));
    }

    void catchUp(long epoch) {
        for (GuardedTask task : all()) {
            if (!task.enabled()) {
                continue;
            }
            try {
                catchUp(task, epoch);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "misfire handling of " + task.name() + " failed", e);
            }
        }
    }

    private boolean stillLeading(long epoch) {
        return election.isLeader() && election.epoch() == epoch;
    }

    private void catchUp(GuardedTask task, long epoch) throws Exception {
        Optional<Instant> last = runs.lastSlot(task.name());
        if (last.isEmpty()) {
            return;
        }
        List<Instant> missed = task.slots().between(last.get(), Instant.now(), MAX_MISSED);
        if (missed.isEmpty() || !stillLeading(epoch)) {
            return;
        }
        int skipFrom = 0;
        if (task.misfire() == Misfire.CATCH_UP) {
            runLate(task, missed.get(0));
            skipFrom = 1;
        }
        int skipped = 0;
        for (Instant slot : missed.subList(skipFrom, missed.size())) {
            if (!stillLeading(epoch)) {
                return;
            }
            ClaimResult r = runs.claim(task.name(), slot, epoch, replica.instanceId(), Trigger.MISFIRE, Outcome.SKIPPED);
            if (r.claim() == Claim.STALE_EPOCH) {
                election.fenced(r.newestEpoch());
                return;
            }
            if (r.claim() == Claim.CLAIMED) {
                skipped++;
            }
        }
        int skippedSlots = skipped;
        LOG.info(() -> task.name() + ": " + missed.size() + " slot(s) missed since " + last.get() + "; "
                + (task.misfire() == Misfire.CATCH_UP ? "caught up " + missed.get(0) + ", " : "")
                + skippedSlots + " recorded as skipped");
    }

    private void runLate(GuardedTask task, Instant slot) throws Exception {
        Method method = task.method();
        Object bean = beans.select(method.getDeclaringClass()).get();
        Object[] args = new Object[method.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            if (method.getParameterTypes()[i] != Timer.class) {
                throw new IllegalStateException(method + " may only take a jakarta.ejb.Timer");
            }
        }
        LeaderOnlyInterceptor.catchUp(slot, () -> {
            try {
                return method.invoke(bean, args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        });
    }
}
