package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three replicas (the third a dedicated worker with ENABLE_CRON=false) behind a Sentinel-watched Redis, started by
 * the same script a developer uses. Prints what it measures.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int POOL_MAX = 15;
    private static LocalCluster cluster;
    private static String key;

    @BeforeAll
    static void up() throws Exception {
        cluster = new LocalCluster("cluster-it");
        cluster.extraEnv.put("DB_POOL_MAX", String.valueOf(POOL_MAX));
        long start = System.nanoTime();
        cluster.run("up");
        System.out.printf("[cluster] 3 replicas + Redis/Sentinel ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
        key = cluster.adminKey();
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
            try (Connection c = db(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + cluster.schema + " CASCADE");
            }
        }
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/advwell", "advwell", "advwell");
    }

    private static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    @Test
    @Order(1)
    void everyReplicaIsReadyAndTheLastIsADedicatedWorker() throws Exception {
        assertThat(cluster.run("status")).contains("replica-1").contains("replica-3");
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> ready = cluster.get(i, "/health/ready", null);
            assertThat(ready.statusCode()).as("replica-%d %s", i, ready.body()).isEqualTo(200);
            HttpResponse<String> live = cluster.get(i, "/health/live", null);
            assertThat(live.body()).contains("\"cron\":\"" + (i < 3) + "\"");
        }
    }

    @Test
    @Order(2)
    void aRowWrittenThroughOneReplicaIsReadThroughAnother() throws Exception {
        HttpResponse<String> created = cluster.send(HttpRequest.newBuilder(cluster.replica(1, "/api/tenants"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"v1\"}")), key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).getString("id");
        for (int version = 2; version <= 6; version++) {
            int writer = version % 2 == 0 ? 1 : 2;
            int reader = 3 - writer;
            // read on the other replica first, so a cache there would now hold the old row
            cluster.get(reader, "/api/tenants/" + id, key);
            HttpResponse<String> renamed = cluster.send(HttpRequest.newBuilder(cluster.replica(writer, "/api/tenants/" + id))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"v" + version + "\"}")), key);
            assertThat(renamed.statusCode()).isEqualTo(200);
            JsonObject seen = json(cluster.get(reader, "/api/tenants/" + id, key));
            assertThat(seen.getString("name")).as("read through replica-%d after a write through replica-%d", reader, writer)
                    .isEqualTo("v" + version);
        }
        System.out.println("[cluster] 5 alternating write/read rounds across replica-1 and replica-2: no stale read");
    }

    @Test
    @Order(3)
    void fiftyParallelDatabaseRequestsNeverHoldMoreThanThePoolSize() throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxSeen = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'replica-1'")) {
                while (sampling.get()) {
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        maxSeen.accumulateAndGet(rs.getInt(1), Math::max);
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sampler.start();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<Integer>> statuses = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            statuses.add(clients.submit(() -> cluster.get(1, "/api/diagnostics/db?holdMs=400", key).statusCode()));
        }
        int ok = 0;
        for (Future<Integer> s : statuses) {
            ok += s.get() == 200 ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampling.set(false);
        sampler.join();
        clients.shutdown();
        System.out.printf("[cluster] 50 parallel DB-bound requests (400 ms each) to replica-1: %d succeeded in %.2f s;"
                + " most connections held by replica-1 in pg_stat_activity: %d (DB_POOL_MAX=%d)%n", ok, seconds, maxSeen.get(), POOL_MAX);
        assertThat(ok).isEqualTo(50);
        assertThat(maxSeen.get()).isBetween(2, POOL_MAX);
        // 50 requests of 400 ms through at most 15 connections need at least 4 rounds
        assertThat(seconds).isGreaterThanOrEqualTo(1.2);
    }

    @Test
    @Order(4)
    void everyReplicaFollowsARedisMasterFailoverWithoutARestart() throws Exception {
        long[] pids = {cluster.pid("replica-1"), cluster.pid("replica-2"), cluster.pid("replica-3")};
        String before = json(cluster.send(HttpRequest.newBuilder(cluster.replica(1, "/api/diagnostics/redis"))
                .POST(HttpRequest.BodyPublishers.noBody()), key)).getString("master");

        long killedAt = System.nanoTime();
        cluster.run("kill", "redis-current-master");
        double[] recovered = new double[3];
        boolean[] done = new boolean[3];
        String[] masters = new String[3];
        String notReady = null;
        while (!(done[0] && done[1] && done[2]) && System.nanoTime() - killedAt < 60_000_000_000L) {
            for (int i = 0; i < 3; i++) {
                if (done[i]) {
                    continue;
                }
                try {
                    HttpResponse<String> readiness = cluster.get(i + 1, "/health/ready", null);
                    boolean ready = readiness.statusCode() == 200;
                    if (!ready && notReady == null) {
                        notReady = readiness.statusCode() + " " + readiness.body();
                    }
                    HttpResponse<String> write = cluster.send(HttpRequest.newBuilder(cluster.replica(i + 1, "/api/diagnostics/redis"))
                            .POST(HttpRequest.BodyPublishers.noBody()), key);
                    if (ready && write.statusCode() == 200 && !json(write).getString("master").equals(before)) {
                        done[i] = true;
                        masters[i] = json(write).getString("master");
                        recovered[i] = (System.nanoTime() - killedAt) / 1e9;
                    }
                } catch (java.io.IOException e) {
                    // not answering yet
                }
            }
            Thread.sleep(50);
        }
        System.out.printf("[cluster] kill -9 of the Redis master %s: ready and writing again after %.2f s / %.2f s / %.2f s"
                + " (replica-1/2/3), new master %s%n", before, recovered[0], recovered[1], recovered[2], masters[0]);
        System.out.println("[cluster] readiness while Redis had no master: " + notReady);
        assertThat(notReady).as("readiness reports the failing dependency while the master is gone")
                .startsWith("503").contains("\"redis\"").contains("DOWN").contains("error");
        assertThat(done).as("every replica recovered within 60 s").containsOnly(true);
        assertThat(new long[] {cluster.pid("replica-1"), cluster.pid("replica-2"), cluster.pid("replica-3")})
                .as("no replica was restarted").containsExactly(pids);
        for (double seconds : recovered) {
            assertThat(seconds).as("recovery after the kill (target 5 s; Sentinel alone needs ~2.2 s)").isLessThan(8.0);
        }
        cluster.run("start", "redis-master");
        cluster.run("start", "redis-replica");
    }
}
