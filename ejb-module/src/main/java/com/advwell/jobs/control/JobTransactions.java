package com.advwell.jobs.control;

import com.advwell.platform.instance.Replica;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.concurrent.Callable;

/**
 * Runs a transactional consumer's handler in a new JTA transaction that first claims the job's receipt. The claim
 * is an insert into {@code job_receipts}: if the row exists (the job already committed once, then its completion was
 * lost to a crash or a failover) the handler is skipped; if another replica is running the same job right now, the
 * insert waits for that transaction and then finds the row. Either way the handler's effects commit at most once.
 */
@ApplicationScoped
public class JobTransactions {

    /** What {@link #runOnce} returns when the job had already been run and committed. */
    public static final Object ALREADY_DONE = new Object();

    @PersistenceContext(unitName = "advwell")
    EntityManager em;

    @Inject
    Replica replica;

    @Transactional(value = Transactional.TxType.REQUIRES_NEW, rollbackOn = Exception.class)
    public Object runOnce(Job job, Callable<Object> handler) throws Exception {
        int claimed = em.createNativeQuery("INSERT INTO job_receipts (queue, job_id, created_ms, attempt, replica) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING")
                .setParameter(1, job.queue())
                // the ref: two tenants' jobs with the same id may even be added in the same millisecond
                .setParameter(2, job.ref())
                .setParameter(3, job.createdMillis())
                .setParameter(4, job.attempt())
                .setParameter(5, replica.instanceId())
                .executeUpdate();
        if (claimed == 0) {
            return ALREADY_DONE;
        }
        return handler.call();
    }
}
