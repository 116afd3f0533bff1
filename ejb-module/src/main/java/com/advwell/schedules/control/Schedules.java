package com.advwell.schedules.control;

import com.advwell.jobs.control.JobQueues;
import com.advwell.platform.errors.RefusedException;
import com.advwell.platform.instance.Replica;
import com.advwell.schedules.entity.ClientSchedule;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Client schedules of one tenant: create, read, replace, delete, pause, resume, run now and run history. A schedule
 * of another tenant is "not found", so its existence does not leak.
 */
@Stateless
public class Schedules {

    @PersistenceContext(unitName = "advwell")
    EntityManager em;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    @Inject
    Replica replica;

    @Inject
    ScheduleAction action;

    @Inject
    JobQueues queues;

    private ScheduleLedger ledger;

    @PostConstruct
    void init() {
        ledger = new ScheduleLedger(dataSource);
    }

    public ClientSchedule create(String tenantId, ScheduleDraft draft) {
        ClientSchedule schedule = new ClientSchedule(tenantId);
        define(schedule, draft);
        em.persist(schedule);
        return schedule;
    }

    public ClientSchedule get(String tenantId, String id) {
        ClientSchedule schedule = em.find(ClientSchedule.class, id);
        if (schedule == null || !schedule.getTenantId().equals(tenantId)) {
            throw RefusedException.notFound("schedule", id);
        }
        return schedule;
    }

    public List<ClientSchedule> list(String tenantId, int offset, int limit) {
        return em.createNamedQuery(ClientSchedule.BY_TENANT, ClientSchedule.class)
                .setParameter("tenantId", tenantId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    /** Replaces the definition; the next slot is computed afresh from now. */
    public ClientSchedule replace(String tenantId, String id, ScheduleDraft draft) {
        ClientSchedule schedule = get(tenantId, id);
        define(schedule, draft);
        return schedule;
    }

    public void delete(String tenantId, String id) {
        em.remove(get(tenantId, id)); // its runs go with it (ON DELETE CASCADE)
    }

    public ClientSchedule pause(String tenantId, String id) {
        ClientSchedule schedule = get(tenantId, id);
        schedule.pause();
        return schedule;
    }

    /** Resumes with the next slot after now: slots that came due while paused are not run. */
    public ClientSchedule resume(String tenantId, String id) {
        ClientSchedule schedule = get(tenantId, id);
        if (schedule.isPaused()) {
            schedule.resume();
            schedule.nextFireAt(CronSpec.parse(schedule.getCron(), schedule.getTimeZone())
                    .nextAfter(Instant.now())
                    .orElse(null));
        }
        return schedule;
    }

    /**
     * Runs the schedule's action once, now, on this replica, recorded in its history (trigger RUN_NOW). The ledger
     * row is committed before the action, whatever this request's transaction does.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ScheduleRun runNow(String tenantId, String id) throws SQLException {
        ClientSchedule schedule = get(tenantId, id);
        // deleted since it was read: as if it had been deleted before
        Instant slot = ledger.claimRunNow(id, Instant.now(), replica.instanceId())
                .orElseThrow(() -> RefusedException.notFound("schedule", id));
        ScheduleFiring.perform(
                ledger,
                action,
                new ScheduleLedger.Claimed(
                        id,
                        tenantId,
                        schedule.getQueue(),
                        schedule.getPayload(),
                        slot,
                        ScheduleLedger.Trigger.RUN_NOW));
        // the schedule (and with it its history) may have been deleted while the action ran
        return ledger.run(id, slot).orElseThrow(() -> RefusedException.notFound("schedule", id));
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<ScheduleRun> runs(String tenantId, String id, int offset, int limit) throws SQLException {
        get(tenantId, id);
        return ledger.runs(id, offset, limit);
    }

    private void define(ClientSchedule schedule, ScheduleDraft draft) {
        CronSpec spec = CronSpec.parse(draft.cron(), draft.timeZone());
        if (!queues.names().contains(draft.queue())) {
            throw RefusedException.invalid(
                    "queue", "no queue named '" + draft.queue() + "'; queues: " + queues.names());
        }
        Instant next = spec.nextAfter(Instant.now())
                .orElseThrow(() -> RefusedException.invalid("cron", "the expression has no future execution"));
        // every slot adds this payload: what the queue would refuse then is refused now, naming the field
        action.check(schedule.getTenantId(), schedule.getId(), draft.queue(), draft.payload());
        schedule.define(
                draft.name(),
                spec.expression(),
                spec.dialect().name(),
                spec.zone().getId(),
                draft.queue(),
                draft.payload());
        schedule.nextFireAt(next);
    }
}
