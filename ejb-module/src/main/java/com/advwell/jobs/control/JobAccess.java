package com.advwell.jobs.control;

import com.advwell.platform.errors.RefusedException;
import com.advwell.security.control.Caller;
import com.advwell.security.entity.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The tenant-visibility rule for API callers, applied to every job they address. A client's jobs belong to its
 * tenant and it sees only those: another tenant's job is not found, as if it did not exist. An operator's jobs are
 * system jobs and it sees every tenant's, choosing one with {@code requestedTenant} (none: the system jobs for one
 * job, every tenant for a listing). Ids are unique per tenant, so a job is addressed by its id and its tenant, and
 * acting on it is one Redis round trip: a job the tenant does not have is not found by the act itself.
 */
@ApplicationScoped
public class JobAccess {

    @Inject
    JobQueues queues;

    /** Whether the caller sees every tenant's jobs (and the tenant each belongs to). */
    public static boolean seesAllTenants(Caller caller) {
        return caller.role() != Role.CLIENT;
    }

    /** The tenant of the jobs the caller adds: a client's own; null (system jobs) for operators. */
    public static String tenantOfNewJobs(Caller caller) {
        return seesAllTenants(caller) ? null : caller.tenantId();
    }

    /** The job with this id of the addressed tenant, with its logs. */
    public JobView job(Caller caller, String queue, String requestedTenant, String id) {
        String tenant = addressedTenant(caller, requestedTenant);
        JobView job = queues.queue(queue).job(tenant, id);
        if (job == null) {
            throw RefusedException.notFound("job", id);
        }
        return job;
    }

    /** A page of jobs in one state (parsed here, after the queue is known, so an unknown queue is refused first). */
    public RedisJobQueue.Page list(
            Caller caller, String queue, String state, long cursor, int limit, String requestedTenant) {
        RedisJobQueue q = queues.queue(queue);
        return q.list(JobState.parse(state, "state"), cursor, limit, addressedTenant(caller, requestedTenant));
    }

    /** Cancels a waiting or delayed job; an active or finished one is {@link QueueError#WRONG_STATE}. */
    public void cancel(Caller caller, String queue, String requestedTenant, String id) {
        act(caller, queue, requestedTenant, id, RedisJobQueue::cancel);
    }

    /** A failed job back to waiting, with its attempts counted afresh. */
    public void retry(Caller caller, String queue, String requestedTenant, String id) {
        act(caller, queue, requestedTenant, id, RedisJobQueue::retry);
    }

    /** A delayed job to waiting now. */
    public void promote(Caller caller, String queue, String requestedTenant, String id) {
        act(caller, queue, requestedTenant, id, RedisJobQueue::promote);
    }

    /** An operation on one job of the addressed tenant, in one script call. */
    private interface JobAction {
        void apply(RedisJobQueue queue, String tenant, String id);
    }

    private void act(Caller caller, String queue, String requestedTenant, String id, JobAction action) {
        String tenant = addressedTenant(caller, requestedTenant);
        try {
            action.apply(queues.queue(queue), tenant, id);
        } catch (QueueException e) {
            throw notFoundAsSuch(e, id);
        }
    }

    /**
     * The tenant whose jobs a call addresses: a client's own, whatever it asks for (another tenant's is refused so
     * that a mistaken parameter is not silently ignored); an operator's choice.
     */
    static String addressedTenant(Caller caller, String requested) {
        String wanted = requested == null || requested.isBlank() ? null : requested;
        if (seesAllTenants(caller)) {
            return wanted;
        }
        String own = caller.tenantId();
        if (wanted != null && !wanted.equals(own)) {
            throw RefusedException.invalid(
                    "tenant", "tenant: a client addresses only its own tenant's jobs; " + "leave tenant out");
        }
        return own;
    }

    /** A job the tenant does not have is told as a lookup tells it, whichever operation found it missing. */
    private static RuntimeException notFoundAsSuch(QueueException e, String id) {
        return e.error() == QueueError.JOB_NOT_FOUND ? RefusedException.notFound("job", id) : e;
    }
}
