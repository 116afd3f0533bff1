package com.advwell.schedules.control;

import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.QueueDefinition;
import com.advwell.jobs.control.RedisJobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What a client schedule does on a slot: adds its payload as a job of the schedule's tenant to the schedule's queue,
 * with the job type the queue accepts. The job id is derived from the schedule and the slot, so a slot that is
 * performed twice (a retry after a lost acknowledgement, a run-now racing the timer) still adds one job. Returns a
 * note for the run's history; a refused add throws and is recorded as the run's failure.
 */
@ApplicationScoped
public class ScheduleAction {

    @Inject
    JobQueues queues;

    public String perform(ScheduleLedger.Claimed run) {
        QueueDefinition queue = queues.definition(run.queue());
        if (queue.types().size() != 1) {
            throw new IllegalStateException("queue " + run.queue() + " accepts " + queue.types()
                    + "; a schedule can only feed a queue with exactly one job type");
        }
        String type = queue.types().iterator().next();
        RedisJobQueue.Added added = queues.add(run.queue(), JobSpec.of(type, run.payload())
                .withId("schedule-" + run.scheduleId() + "-" + run.slot().toEpochMilli())
                .withTenant(run.tenantId()));
        return (added.created() ? "added job " : "job already added: ") + run.queue() + "/" + added.id();
    }
}
