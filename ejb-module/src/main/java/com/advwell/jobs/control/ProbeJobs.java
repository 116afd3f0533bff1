package com.advwell.jobs.control;

import com.advwell.platform.instance.Replica;
import com.advwell.platform.json.Jsonp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The built-in {@code probe} queue: an operator's end-to-end check that jobs added anywhere are run somewhere, with
 * their effect recorded once in PostgreSQL ({@code probe_effects}). Payload (all optional): {@code sleepMs} (0-60000,
 * simulates work; inside the job's transaction, so it holds a pool connection: hence a concurrency well below
 * {@code DB_POOL_MAX}), {@code failUntilAttempt} (throws on earlier attempts, to see retries).
 */
@ApplicationScoped
public class ProbeJobs {

    @PersistenceContext(unitName = "advwell")
    EntityManager em;

    @Inject
    Replica replica;

    @QueueConsumer(queue = "probe", types = "probe", concurrency = 5, transactional = true)
    public JsonObject run(Job job) throws InterruptedException {
        JsonObject p = parse(job.payload());
        int failUntil = p.getInt("failUntilAttempt", 0);
        if (job.attempt() < failUntil) {
            throw new IllegalStateException("probe asked to fail until attempt " + failUntil);
        }
        long sleep = Math.min(
                Math.max(
                        p.getJsonNumber("sleepMs") == null
                                ? 0
                                : p.getJsonNumber("sleepMs").longValue(),
                        0),
                60_000);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        em.createNativeQuery("INSERT INTO probe_effects (queue, job_id, created_ms, started_ms, attempt, replica, "
                        + "tenant_id) VALUES (?1, ?2, ?3, ?7, ?4, ?5, ?6)")
                .setParameter(1, job.queue())
                .setParameter(2, job.id())
                .setParameter(3, job.createdMillis())
                .setParameter(4, job.attempt())
                .setParameter(5, replica.instanceId())
                .setParameter(6, job.tenant())
                .setParameter(7, job.startedMillis())
                .executeUpdate();
        return Jsonp.objectBuilder().add("replica", replica.instanceId()).build();
    }

    private static JsonObject parse(String payload) {
        try {
            return Jsonp.readValue(payload) instanceof JsonObject o ? o : JsonObject.EMPTY_JSON_OBJECT;
        } catch (RuntimeException e) {
            throw new PermanentJobFailure("probe payload is not JSON: " + e.getMessage());
        }
    }
}
