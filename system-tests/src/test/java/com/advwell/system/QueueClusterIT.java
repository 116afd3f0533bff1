package com.advwell.system;

import static com.advwell.system.LocalCluster.json;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The queue under failure, with real processes: three replicas (the third a dedicated worker) consume the built-in
 * {@code probe} queue, whose transactional handler records each job's effect in PostgreSQL. A Redis master
 * {@code kill -9} during 20,000 jobs, then a replica {@code kill -9} in the middle of jobs. Prints what it measures.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueClusterIT {

    private static final int LOCK_MS = 5000;
    private static final int STALL_CHECK_MS = 1000;
    private static final int GRACE_MS = 1000;
    /** How long the scale-out test measures each replica's share once all six are ready (issue 12: the minute after). */
    private static final int SHARE_WINDOW_MS = 60_000;

    private static LocalCluster cluster;
    private static String key;

    @BeforeAll
    static void up() throws Exception {
        cluster = new LocalCluster("queue-it");
        cluster.extraEnv.put("QUEUE_LOCK_MS", String.valueOf(LOCK_MS));
        cluster.extraEnv.put("QUEUE_STALL_CHECK_MS", String.valueOf(STALL_CHECK_MS));
        // six replicas must fit the local PostgreSQL (max_connections 100) with room for the tests' own connections
        cluster.extraEnv.put("DB_POOL_MAX", "10");
        cluster.extraEnv.put("SHUTDOWN_GRACE_MS", String.valueOf(GRACE_MS));
        // probe jobs hold a connection while they sleep: 8 of the 10, the rest for requests and housekeeping
        cluster.extraEnv.put("QUEUE_PROBE_CONCURRENCY", "8");
        long start = System.nanoTime();
        cluster.run("up");
        System.out.printf("[queue] 3 replicas + Redis/Sentinel ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
        key = cluster.adminKey();
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> post(int replica, String path, String body) throws Exception {
        return cluster.post(replica, path, body, key);
    }

    /** Adds a batch of probe jobs with the given ids, retrying the same ids until a replica acknowledges them. */
    private static int addUntilAcknowledged(List<String> ids, String payload, AtomicInteger refusals) throws Exception {
        JsonArrayBuilder jobs = Json.createArrayBuilder();
        for (String id : ids) {
            jobs.add(Json.createObjectBuilder()
                    .add("id", id)
                    .add("type", "probe")
                    .add("payload", json(payload)));
        }
        String body = Json.createObjectBuilder().add("jobs", jobs).build().toString();
        long deadline = System.nanoTime() + 120_000_000_000L;
        int replica = 1 + Math.abs(ids.get(0).hashCode()) % 3;
        while (true) {
            try {
                HttpResponse<String> r = post(replica, "/api/queues/probe/jobs/bulk", body);
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    return ids.size();
                }
                assertThat(r.statusCode())
                        .as("only 'try again' answers are expected: %s", r.body())
                        .isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            } catch (java.io.IOException e) {
                // a replica that is busy reconnecting may time out: the same ids are sent again
            }
            refusals.incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("batch starting at " + ids.get(0) + " not acknowledged within 120 s");
            }
            Thread.sleep(200);
            replica = replica % 3 + 1;
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = LocalCluster.db();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Timestamp dbNow() throws Exception {
        try (Connection c = LocalCluster.db();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private String effects() {
        return cluster.schema + ".probe_effects";
    }

    @Test
    @Order(1)
    void everyAcknowledgedJobTakesEffectOnceThroughARedisMasterKill() throws Exception {
        int total = 20_000;
        int batch = 500;
        Map<String, Long> pids = new HashMap<>();
        for (int i = 1; i <= 3; i++) {
            pids.put("replica-" + i, cluster.pid("replica-" + i));
        }
        AtomicInteger refusals = new AtomicInteger();
        int acknowledged = 0;
        long start = System.nanoTime();
        Timestamp killedAt = null;
        String killed = null;
        Thread restart = null;
        double[] restartAfter = {0};
        for (int b = 0; b < total / batch; b++) {
            List<String> ids = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                ids.add("chaos-" + (b * batch + i));
            }
            acknowledged += addUntilAcknowledged(ids, "{}", refusals);
            if (b == 12) {
                // consumers are busy with the first 6,500 jobs: take the master away under them
                killed = cluster.killRedisMaster();
                // taken after the process exited: any fetch after this went to the new master
                killedAt = dbNow();
                // the old master comes back 5 s later (a container restart would do this) and rejoins as a replica,
                // which adds need: with REDIS_MIN_REPLICA_ACKS=1 nothing is acknowledged while no replica confirms
                String member = killed;
                long killedMillis = killedAt.getTime();
                restart = new Thread(
                        () -> {
                            try {
                                Thread.sleep(5000);
                                restartAfter[0] = (System.currentTimeMillis() - killedMillis) / 1000.0;
                                cluster.run("start", member);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "restart-" + member);
                restart.start();
            }
        }
        restart.join();
        double addSeconds = (System.nanoTime() - start) / 1e9;

        long deadline = System.nanoTime() + 480_000_000_000L;
        long done = 0;
        while (System.nanoTime() < deadline) {
            done = count("SELECT count(DISTINCT job_id) FROM " + effects() + " WHERE job_id LIKE 'chaos-%'");
            if (done >= acknowledged) {
                break;
            }
            Thread.sleep(1000);
        }
        double allDone = (System.nanoTime() - start) / 1e9;
        long rows = count("SELECT count(*) FROM " + effects() + " WHERE job_id LIKE 'chaos-%'");
        long duplicated = count("SELECT count(*) FROM (SELECT job_id FROM " + effects()
                + " WHERE job_id LIKE 'chaos-%' GROUP BY job_id HAVING count(*) > 1) d");
        JsonObject probe = json(cluster.get(1, "/api/queues/probe", key).body());
        // a replica consumes again when it fetches a job after the kill (started_ms is Redis' clock at the fetch)
        Map<String, Double> recovery = new HashMap<>();
        long killMillis = killedAt.getTime();
        try (Connection c = LocalCluster.db();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT replica, min(started_ms) - " + killMillis + " FROM " + effects()
                        + " WHERE started_ms > " + killMillis + " GROUP BY replica")) {
            while (rs.next()) {
                recovery.put(rs.getString(1), rs.getLong(2) / 1000.0);
            }
        }
        System.out.printf(
                "[queue] %d jobs acknowledged in %.1f s (%d refusals answered 503 and retried), "
                        + "Redis master %s killed after 6,500, restarted %.1f s later%n",
                acknowledged, addSeconds, refusals.get(), killed, restartAfter[0]);
        System.out.printf(
                "[queue] all effects after %.1f s: %d jobs took effect, %d lost, %d effect rows, "
                        + "%d jobs with duplicated effects; queue now %s%n",
                allDone, done, acknowledged - done, rows, duplicated, probe);
        System.out.println("[queue] first job fetched per replica after the master kill (s): " + recovery);
        // a job that stalls is handed to a handler again: the receipt keeps a probe's effect single, a webhook
        // would be delivered twice. An upper bound (a job whose fetch reply the failover lost stalls too, unrun)
        long stalled = probe.getJsonObject("totals").getJsonNumber("stalled").longValue();
        System.out.printf(
                "[queue] duplicates after the failover: %d jobs stalled and ran again (%.3f %% of %d; "
                        + "issue 12's target is <= 0.05 %%)%n",
                stalled, 100.0 * stalled / acknowledged, acknowledged);

        assertThat(done).as("every acknowledged job took effect").isEqualTo(acknowledged);
        assertThat(acknowledged).isEqualTo(total);
        assertThat(duplicated).as("no job's effect recorded twice").isZero();
        assertThat(rows).isEqualTo(acknowledged);
        assertThat(recovery)
                .as("every replica consumed again after the failover")
                .containsKeys("replica-1", "replica-2", "replica-3");
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            assertThat(cluster.pid(p.getKey()))
                    .as("%s was not restarted", p.getKey())
                    .isEqualTo(p.getValue());
        }
    }

    @Test
    @Order(2)
    void aKilledReplicasJobsAreFinishedByTheOthersWithinTheLockAndTheCheckInterval() throws Exception {
        // few jobs, added one at a time so that each wakes another idle replica: the survivors keep free slots, and
        // the time measured is the takeover, not a wait for capacity
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ids.add("kill-" + i);
            addUntilAcknowledged(List.of("kill-" + i), "{\"sleepMs\":8000}", new AtomicInteger());
            Thread.sleep(150);
        }
        Set<String> held = heldBy("replica-2", "kill-", 2);
        long killedAtMillis = System.currentTimeMillis();
        cluster.run("kill", "replica-2");
        Map<String, Double> pickedUp = takenOver(held, "replica-2", killedAtMillis);
        long effectsDeadline = System.nanoTime() + 120_000_000_000L;
        long done = 0;
        while (System.nanoTime() < effectsDeadline) {
            done = count("SELECT count(DISTINCT job_id) FROM " + effects() + " WHERE job_id LIKE 'kill-%'");
            if (done == ids.size()) {
                break;
            }
            Thread.sleep(500);
        }
        long duplicated = count("SELECT count(*) FROM (SELECT job_id FROM " + effects()
                + " WHERE job_id LIKE 'kill-%' GROUP BY job_id HAVING count(*) > 1) d");
        double worst = pickedUp.values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(Double.NaN);
        System.out.printf(
                "[queue] kill -9 of replica-2 while it ran %d jobs: taken over by other replicas after "
                        + "%s s (worst %.2f s; bound lock %d ms + check %d ms); %d of %d jobs took effect, %d duplicated%n",
                held.size(),
                new TreeSet<>(pickedUp.values()),
                worst,
                LOCK_MS,
                STALL_CHECK_MS,
                done,
                ids.size(),
                duplicated);
        assertThat(pickedUp)
                .as("every job of the killed replica was taken over")
                .hasSameSizeAs(held);
        assertThat(worst)
                .as("taken over within the lock plus the check interval (+1.5 s slack)")
                .isLessThan((LOCK_MS + STALL_CHECK_MS + 1500) / 1000.0);
        assertThat(done).isEqualTo(ids.size());
        assertThat(duplicated).isZero();
    }

    /** Ids of active jobs with the prefix that the replica runs now, once it runs at least {@code min}. */
    private static Set<String> heldBy(String replica, String prefix, int min) throws Exception {
        Set<String> held = new TreeSet<>();
        long until = System.nanoTime() + 60_000_000_000L;
        while (held.size() < min && System.nanoTime() < until) {
            held.clear();
            JsonObject page = json(cluster.get(1, "/api/queues/probe/jobs?state=active&limit=500", key)
                    .body());
            for (JsonValue v : page.getJsonArray("jobs")) {
                JsonObject job = v.asJsonObject();
                if (replica.equals(job.getString("worker", null))
                        && job.getString("id").startsWith(prefix)) {
                    held.add(job.getString("id"));
                }
            }
            Thread.sleep(100);
        }
        assertThat(held).as("%s runs some jobs", replica).hasSizeGreaterThanOrEqualTo(min);
        return held;
    }

    /** Seconds from {@code sinceMillis} until each job was started again by another replica than {@code gone}. */
    private static Map<String, Double> takenOver(Set<String> ids, String gone, long sinceMillis) throws Exception {
        Map<String, Double> pickedUp = new HashMap<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (pickedUp.size() < ids.size() && System.nanoTime() < deadline) {
            for (String id : ids) {
                if (pickedUp.containsKey(id)) {
                    continue;
                }
                JsonObject job =
                        json(cluster.get(1, "/api/queues/probe/jobs/" + id, key).body());
                String worker = job.getString("worker", null);
                if (worker != null && !worker.equals(gone) && !job.isNull("startedAt")) {
                    long started =
                            java.time.Instant.parse(job.getString("startedAt")).toEpochMilli();
                    pickedUp.put(id, (started - sinceMillis) / 1000.0);
                }
            }
            Thread.sleep(100);
        }
        return pickedUp;
    }

    @Test
    @Order(3)
    void aStoppedReplicaHandsItsUnfinishedJobsBackAtOnce() throws Exception {
        // replica-1 and replica-3 are up (8 slots each): six jobs spread over them leave replica-1 room for the rest
        for (int i = 0; i < 6; i++) {
            addUntilAcknowledged(List.of("term-" + i), "{\"sleepMs\":20000}", new AtomicInteger());
            Thread.sleep(150);
        }
        Set<String> held = heldBy("replica-3", "term-", 2);
        long termAt = System.currentTimeMillis();
        cluster.run("kill", "replica-3", "TERM");
        Map<String, Double> pickedUp = takenOver(held, "replica-3", termAt);
        double worst = pickedUp.values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(Double.NaN);
        System.out.printf(
                "[queue] SIGTERM of replica-3 while it ran %d 20-s jobs: handed back and restarted elsewhere "
                        + "after %s s (worst %.2f s; grace %d ms; a stall would take lock %d ms + check %d ms)%n",
                held.size(), new TreeSet<>(pickedUp.values()), worst, GRACE_MS, LOCK_MS, STALL_CHECK_MS);
        assertThat(pickedUp).hasSameSizeAs(held);
        assertThat(worst)
                .as("handed back after the grace period, not after the lock ran out")
                .isLessThan((GRACE_MS + 2000) / 1000.0);
        // the 20 s jobs are left to finish; the scale test below waits for its own jobs only
    }

    @Test
    @Order(4)
    void scalingOutAndBackInUnderLoadLosesNothing() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean producing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> errors = new ConcurrentHashMap<>();
        // replica-2 and replica-3 were stopped by the previous tests; the scale-out starts them again
        java.util.concurrent.atomic.AtomicReference<int[]> live =
                new java.util.concurrent.atomic.AtomicReference<>(new int[] {1});
        Set<Integer> stopping = ConcurrentHashMap.newKeySet();
        Thread producer = new Thread(
                () -> {
                    int n = 0;
                    while (producing.get()) {
                        int[] targets = live.get();
                        int replica = targets[n % targets.length];
                        String id = "scale-" + n;
                        try {
                            HttpResponse<String> r = post(
                                    replica,
                                    "/api/queues/probe/jobs",
                                    "{\"id\":\"" + id + "\",\"type\":\"probe\",\"payload\":{\"sleepMs\":50}}");
                            if (r.statusCode() == 201 || r.statusCode() == 200) {
                                acknowledged.add(id);
                                n++;
                            } else {
                                errors.computeIfAbsent(replica, k -> new AtomicInteger())
                                        .incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.computeIfAbsent(replica, k -> new AtomicInteger())
                                    .incrementAndGet();
                            n++; // try the next replica with the next id; this id was never acknowledged
                        }
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "scale-producer");
        producer.start();
        Thread.sleep(5000);
        long start = System.nanoTime();
        cluster.run("scale", "6");
        double up = (System.nanoTime() - start) / 1e9;
        live.set(new int[] {1, 2, 3, 4, 5, 6});
        long readyMillis = System.currentTimeMillis();
        Thread.sleep(SHARE_WINDOW_MS);
        // the share of each replica among the jobs that started once all six were ready (issue 12: within 25 % of an
        // equal share, for jobs of 5 ms or more)
        Map<String, Long> byReplica = new HashMap<>();
        try (Connection c = LocalCluster.db();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT replica, count(*) FROM " + effects()
                        + " WHERE job_id LIKE 'scale-%' AND started_ms BETWEEN " + readyMillis + " AND "
                        + (readyMillis + SHARE_WINDOW_MS) + " GROUP BY replica")) {
            while (rs.next()) {
                byReplica.put(rs.getString(1), rs.getLong(2));
            }
        }
        long inWindow = byReplica.values().stream().mapToLong(Long::longValue).sum();
        double worst = byReplica.size() < 6
                ? 1.0
                : byReplica.values().stream()
                        .mapToDouble(n -> Math.abs(n * 6.0 / inWindow - 1))
                        .max()
                        .orElse(1.0);
        // scale back in: stop sending to the replicas that go away, as a load balancer draining them would
        live.set(new int[] {1, 2, 3});
        stopping.addAll(List.of(4, 5, 6));
        start = System.nanoTime();
        cluster.run("scale", "3");
        double down = (System.nanoTime() - start) / 1e9;
        Thread.sleep(5000);
        producing.set(false);
        producer.join();

        long deadline = System.nanoTime() + 120_000_000_000L;
        long done = 0;
        while (System.nanoTime() < deadline) {
            done = count("SELECT count(DISTINCT job_id) FROM " + effects() + " WHERE job_id IN ('"
                    + String.join("','", acknowledged) + "')");
            if (done == acknowledged.size()) {
                break;
            }
            Thread.sleep(1000);
        }
        long duplicated = count("SELECT count(*) FROM (SELECT job_id FROM " + effects()
                + " WHERE job_id LIKE 'scale-%' GROUP BY job_id HAVING count(*) > 1) d");
        System.out.printf(
                "[queue] scale 3 -> 6 in %.1f s, 6 -> 3 in %.1f s under load: %d jobs acknowledged, %d took "
                        + "effect, %d duplicated; request errors by replica %s; jobs started by replica in the %d s after all "
                        + "six were ready: %s, farthest from an equal share: %.0f %%%n",
                up,
                down,
                acknowledged.size(),
                done,
                duplicated,
                errors,
                SHARE_WINDOW_MS / 1000,
                byReplica,
                worst * 100);
        assertThat(byReplica).as("the new replicas took work").containsKeys("replica-4", "replica-5", "replica-6");
        assertThat(worst)
                .as("each replica within 25 %% of an equal share once all six are ready: %s", byReplica)
                .isLessThanOrEqualTo(0.25);
        assertThat(done).as("no acknowledged job lost").isEqualTo(acknowledged.size());
        assertThat(duplicated).isZero();
        for (Map.Entry<Integer, AtomicInteger> e : errors.entrySet()) {
            assertThat(stopping)
                    .as("request errors only from replicas being stopped: %s", errors)
                    .contains(e.getKey());
        }
    }
}
