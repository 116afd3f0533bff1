package com.advwell.cluster.tasks;

import com.advwell.cluster.leader.LeaderElection;
import com.advwell.cluster.leader.LeadershipGained;
import com.advwell.cluster.tasks.TaskLedger.Claim;
import com.advwell.cluster.tasks.TaskLedger.ClaimResult;
import com.advwell.cluster.tasks.TaskLedger.Outcome;
import com.advwell.cluster.tasks.TaskLedger.Trigger;
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
 * The {@link LeaderOnly} tasks of the application (found at deployment by {@link GuardedTaskExtension}) and their
 * misfire handling: when this replica becomes leader, each enabled task's gap (see {@link MisfirePlan}) is closed by
 * running its newest missed slot late through the bean, so the guard and the ledger apply, and recording the other
 * missed slots as SKIPPED. A task with no ledger row from an earlier term starts with its next slot.
 */
@ApplicationScoped
public class GuardedTasks {

    private static final Logger LOG = Logger.getLogger(GuardedTasks.class.getName());
    static final int MAX_MISSED = 1000;
    private static final int CATCH_UP_ATTEMPTS = 30;

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
        executor.execute(() -> catchUp(event.epoch(), event.at()));
    }

    void catchUp(long epoch, Instant gainedAt) {
        for (GuardedTask task : all()) {
            if (!task.enabled()) {
                continue;
            }
            // leadership may be won while the application is still deploying: give the EJB container a moment
            for (int attempt = 1; stillLeading(epoch); attempt++) {
                try {
                    catchUp(task, epoch, gainedAt);
                    break;
                } catch (Exception e) {
                    if (attempt >= CATCH_UP_ATTEMPTS) {
                        LOG.log(Level.WARNING, "misfire handling of " + task.name() + " failed", e);
                        break;
                    }
                    LOG.log(Level.FINE, "misfire handling of " + task.name() + " failed; retrying", e);
                    sleep(1000);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean stillLeading(long epoch) {
        return election.isLeader() && election.epoch() == epoch;
    }

    private void catchUp(GuardedTask task, long epoch, Instant gainedAt) throws Exception {
        Optional<Instant> last = runs.lastSlotBefore(task.name(), epoch);
        if (last.isEmpty()) {
            return;
        }
        MisfirePlan plan = MisfirePlan.of(
                task.slots(),
                last.get(),
                gainedAt,
                runs.recorded(task.name(), last.get(), gainedAt),
                task.misfire(),
                MAX_MISSED);
        if (plan.isEmpty() || !stillLeading(epoch)) {
            return;
        }
        if (plan.runLate().isPresent()) {
            runLate(task, plan.runLate().get());
        }
        int skipped = 0;
        for (Instant slot : plan.skip()) {
            if (!stillLeading(epoch)) {
                return;
            }
            ClaimResult r =
                    runs.claim(task.name(), slot, epoch, replica.instanceId(), Trigger.MISFIRE, Outcome.SKIPPED);
            if (r.claim() == Claim.STALE_EPOCH) {
                election.fenced(r.newestEpoch());
                return;
            }
            if (r.claim() == Claim.CLAIMED) {
                skipped++;
            }
        }
        int skippedSlots = skipped;
        LOG.info(() -> task.name() + ": gap after " + last.get() + " until leadership at " + gainedAt + "; "
                + plan.runLate().map(s -> "ran " + s + " late, ").orElse("") + skippedSlots
                + " slot(s) recorded as skipped");
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
