package com.advwell.schedules.control;

import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.JobChecks;
import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.QueueDefinition;
import com.advwell.jobs.control.RedisJobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * What a client schedule does on a slot: adds its payload as a job of the schedule's tenant to the schedule's queue,
 * with the job type the queue accepts. The job id is derived from the schedule and the slot, so a slot that is
 * performed twice (a retry after a lost acknowledgement, a run-now racing the timer) still adds one job. Returns a
 * note for the run's history; a refused add throws and is recorded as the run's failure. {@link #check} refuses,
 * when the schedule is written, what every slot's add would refuse.
 */
@ApplicationScoped
public class ScheduleAction {

    @Inject
    JobQueues queues;

    public String perform(ScheduleLedger.Claimed run) {
        JobSpec job =
                slotJob(queues.definition(run.queue()), run.tenantId(), run.scheduleId(), run.slot(), run.payload());
        RedisJobQueue.Added added = queues.add(run.queue(), job);
        return (added.created() ? "added job " : "job already added: ") + run.queue() + "/" + added.id();
    }

    /**
     * Checks a schedule's queue and payload exactly as its slots' adds will be checked (the queue's
     * {@link JobChecks}), so that a payload the queue would refuse is refused naming the field ({@code payload.url})
     * when the schedule is created or replaced, not a failure in every run.
     */
    public void check(String tenantId, String scheduleId, String queue, String payload) {
        check(queues.definition(queue), queues.checks(), tenantId, scheduleId, payload);
    }

    /** {@link #check(String, String, String, String)} with the definition and checks given (no container needed). */
    static void check(QueueDefinition queue, JobChecks checks, String tenantId, String scheduleId, String payload) {
        checks.check(queue, slotJob(queue, tenantId, scheduleId, Instant.now(), payload));
    }

    /** The job a slot adds. */
    static JobSpec slotJob(QueueDefinition queue, String tenantId, String scheduleId, Instant slot, String payload) {
        if (queue.types().size() != 1) {
            throw new InvalidJobException(
                    "queue",
                    "queue " + queue.name() + " accepts " + queue.types()
                            + "; a schedule can only feed a queue with exactly one job type");
        }
        return JobSpec.of(queue.types().iterator().next(), payload)
                .withId("schedule-" + scheduleId + "-" + slot.toEpochMilli())
                .withTenant(tenantId);
    }
}
