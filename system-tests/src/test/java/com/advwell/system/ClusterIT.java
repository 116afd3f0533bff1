package com.advwell.system;

import static com.advwell.system.LocalCluster.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three replicas (the third a dedicated worker with ENABLE_CRON=false) behind a Sentinel-watched Redis, started by
 * the same script a developer uses, with a connection budget that fits exactly three of them; a real Prometheus
 * scrapes them, and a fourth replica finds no room. Prints what it measures.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int POOL_MAX = 15;
    /** With the default reserve (20) the budget is 50 connections: three pools of 15 fit, a fourth does not. */
    private static final int MAX_CONNECTIONS_OVERRIDE = 70;

    private static final int RESERVE = 20;
    private static LocalCluster cluster;
    private static String key;

    @BeforeAll
    static void up() throws Exception {
        cluster = new LocalCluster("cluster-it").bootingQuickly();
        cluster.extraEnv.put("DB_POOL_MAX", String.valueOf(POOL_MAX));
        cluster.extraEnv.put("DB_MAX_CONNECTIONS_OVERRIDE", String.valueOf(MAX_CONNECTIONS_OVERRIDE));
        long start = System.nanoTime();
        cluster.run("up");
        System.out.printf("[cluster] 3 replicas + Redis/Sentinel ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
        key = cluster.adminKey();
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
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
        HttpResponse<String> created = cluster.post(1, "/api/tenants", "{\"name\":\"v1\"}", key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).getString("id");
        for (int version = 2; version <= 6; version++) {
            int writer = version % 2 == 0 ? 1 : 2;
            int reader = 3 - writer;
            // read on the other replica first, so a cache there would now hold the old row
            cluster.get(reader, "/api/tenants/" + id, key);
            HttpResponse<String> renamed = cluster.send(
                    HttpRequest.newBuilder(cluster.replica(writer, "/api/tenants/" + id))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"v" + version + "\"}")),
                    key);
            assertThat(renamed.statusCode()).isEqualTo(200);
            JsonObject seen = json(cluster.get(reader, "/api/tenants/" + id, key));
            assertThat(seen.getString("name"))
                    .as("read through replica-%d after a write through replica-%d", reader, writer)
                    .isEqualTo("v" + version);
        }
        System.out.println("[cluster] 5 alternating write/read rounds across replica-1 and replica-2: no stale read");
    }

    @Test
    @Order(2)
    void aKeyRevokedThroughOneReplicaIsRefusedByEveryReplicaFromTheNextRequest() throws Exception {
        String tenant =
                json(post(1, "/api/tenants", "{\"name\":\"revocation\"}")).getString("id");
        String client = json(post(1, "/api/tenants/" + tenant + "/clients", "{\"name\":\"c\",\"role\":\"client\"}"))
                .getString("clientId"); // the new client and its first key
        for (int round = 1; round <= 3; round++) {
            JsonObject issued = json(post(1, "/api/clients/" + client + "/keys", ""));
            String clientKey = issued.getString("key");
            // every replica has just accepted the key, so any cache of authenticated keys now holds it
            for (int i = 1; i <= 3; i++) {
                assertThat(cluster.get(i, "/api/me", clientKey).statusCode())
                        .as("replica-%d before revocation", i)
                        .isEqualTo(200);
            }
            int revoker = round;
            HttpResponse<String> revoked = cluster.send(
                    HttpRequest.newBuilder(cluster.replica(revoker, "/api/api-keys/" + issued.getString("keyId")))
                            .DELETE(),
                    key);
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> after = cluster.get(i, "/api/me", clientKey);
                assertThat(after.statusCode())
                        .as("replica-%d right after revocation through replica-%d", i, revoker)
                        .isEqualTo(401);
                assertThat(after.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            }
        }
        System.out.println(
                "[cluster] 3 keys revoked through replica-1/2/3: refused by all 3 replicas on the next request");
    }

    private HttpResponse<String> post(int replica, String path, String body) throws Exception {
        HttpResponse<String> response = cluster.post(replica, path, body, key);
        assertThat(response.statusCode())
                .as("POST %s: %s", path, response.body())
                .isEqualTo(201);
        return response;
    }

    @Test
    @Order(3)
    void fiftyParallelDatabaseRequestsNeverHoldMoreThanThePoolSize() throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxSeen = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try (Connection c = LocalCluster.db();
                    PreparedStatement st = c.prepareStatement(
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
            statuses.add(clients.submit(
                    () -> cluster.get(1, "/api/diagnostics/db?holdMs=400", key).statusCode()));
        }
        int ok = 0;
        for (Future<Integer> s : statuses) {
            ok += s.get() == 200 ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampling.set(false);
        sampler.join();
        clients.shutdown();
        System.out.printf(
                "[cluster] 50 parallel DB-bound requests (400 ms each) to replica-1: %d succeeded in %.2f s;"
                        + " most connections held by replica-1 in pg_stat_activity: %d (DB_POOL_MAX=%d)%n",
                ok, seconds, maxSeen.get(), POOL_MAX);
        assertThat(ok).isEqualTo(50);
        assertThat(maxSeen.get()).isBetween(2, POOL_MAX);
        // 50 requests of 400 ms through at most 15 connections need at least 4 rounds
        assertThat(seconds).isGreaterThanOrEqualTo(1.2);
    }

    @Test
    @Order(4)
    void everyReplicaFollowsARedisMasterFailoverWithoutARestart() throws Exception {
        long[] pids = {cluster.pid("replica-1"), cluster.pid("replica-2"), cluster.pid("replica-3")};
        String before = json(cluster.post(1, "/api/diagnostics/redis", "", key)).getString("master");

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
                    HttpResponse<String> write = cluster.post(i + 1, "/api/diagnostics/redis", "", key);
                    if (ready
                            && write.statusCode() == 200
                            && !json(write).getString("master").equals(before)) {
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
        System.out.printf(
                "[cluster] kill -9 of the Redis master %s: ready and writing again after %.2f s / %.2f s / %.2f s"
                        + " (replica-1/2/3), new master %s%n",
                before, recovered[0], recovered[1], recovered[2], masters[0]);
        System.out.println("[cluster] readiness while Redis had no master: " + notReady);
        assertThat(notReady)
                .as("readiness reports the failing dependency while the master is gone")
                .startsWith("503")
                .contains("\"redis\"")
                .contains("DOWN")
                .contains("error");
        assertThat(done).as("every replica recovered within 60 s").containsOnly(true);
        assertThat(new long[] {cluster.pid("replica-1"), cluster.pid("replica-2"), cluster.pid("replica-3")})
                .as("no replica was restarted")
                .containsExactly(pids);
        for (double seconds : recovered) {
            assertThat(seconds)
                    .as("recovery after the kill (target 5 s; Sentinel alone needs ~2.2 s)")
                    .isLessThan(8.0);
        }
        // what the console's overview shows: each replica names the new master (the other of the two Redis servers)
        // from memory, where its clients' Sentinel check (every second) put it
        String promoted = "127.0.0.1:"
                + (before.equals("127.0.0.1:" + cluster.redisMasterPort)
                        ? cluster.redisReplicaPort
                        : cluster.redisMasterPort);
        for (int i = 1; i <= 3; i++) {
            int replica = i;
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(json(cluster.get(replica, "/api/cluster", key))
                                    .getJsonObject("self")
                                    .getString("redisMaster"))
                            .as("replica-%d's self.redisMaster after the failover", replica)
                            .isEqualTo(promoted));
        }
        cluster.run("start", "redis-master");
        cluster.run("start", "redis-replica");
    }

    @Test
    @Order(5)
    void aRealPrometheusScrapesEveryReplicaAndLoadsTheAlertRules() throws Exception {
        Map<String, List<String>> targets = Map.of(
                "advwell-backend",
                        List.of("127.0.0.1:" + (cluster.httpBase + 1), "127.0.0.1:" + (cluster.httpBase + 2)),
                "advwell-worker", List.of("127.0.0.1:" + (cluster.httpBase + 3)));
        try (LocalPrometheus prometheus = new LocalPrometheus(cluster.repo, targets)) {
            long start = System.nanoTime();
            prometheus.awaitReady(java.time.Duration.ofSeconds(60));
            JsonArray active = null;
            List<String> down = List.of("not asked yet");
            while ((active == null || active.size() < 4 || !down.isEmpty())
                    && System.nanoTime() - start < 90_000_000_000L) {
                Thread.sleep(500);
                active = prometheus.api("/api/v1/targets").getJsonArray("activeTargets");
                down = active.stream()
                        .map(JsonValue::asJsonObject)
                        .filter(t -> !"up".equals(t.getString("health")))
                        .map(t ->
                                t.getString("scrapeUrl") + " " + t.getString("health") + " " + t.getString("lastError"))
                        .toList();
            }
            System.out.printf(
                    "[prometheus] %d targets up after %.1f s (config %s):%n%s",
                    active.size(), (System.nanoTime() - start) / 1e9, prometheus.dir, prometheus.config());
            assertThat(down).as("targets not up").isEmpty();
            assertThat(active).hasSize(4);

            Map<String, Double> up = series(prometheus.query("up{job=~\"advwell-.*\"}"), "instance");
            Map<String, Double> leader = series(prometheus.query("advwell_leader"), "replica");
            Map<String, Double> members = series(prometheus.query("advwell_cluster_members"), "replica");
            Map<String, Double> poolMax = series(prometheus.query("advwell_db_pool_max"), "replica");
            Map<String, Double> poolOpen = series(prometheus.query("advwell_db_pool_open"), "replica");
            Map<String, Double> exceeded = series(prometheus.query("advwell_db_connection_budget_exceeded"), "replica");
            Map<String, Double> headroom =
                    series(prometheus.query("advwell_db_connection_budget_headroom_replicas"), "replica");
            double leaders = prometheus
                    .query("sum(advwell_leader)")
                    .getJsonObject(0)
                    .getJsonArray("value")
                    .getString(1)
                    .transform(Double::parseDouble);
            System.out.printf(
                    "[prometheus] up %s; advwell_leader %s (sum %.0f); advwell_cluster_members %s;"
                            + " advwell_db_pool_max %s; advwell_db_pool_open %s; advwell_db_connection_budget_exceeded %s;"
                            + " advwell_db_connection_budget_headroom_replicas %s%n",
                    up, leader, leaders, members, poolMax, poolOpen, exceeded, headroom);
            List<String> replicas = List.of("replica-1", "replica-2", "replica-3");
            assertThat(up)
                    .hasSize(3)
                    .allSatisfy((instance, v) -> assertThat(v).as(instance).isEqualTo(1.0));
            assertThat(leaders).isEqualTo(1.0);
            assertThat(leader.keySet()).containsExactlyInAnyOrderElementsOf(replicas);
            assertThat(leader.get("replica-3"))
                    .as("the dedicated worker never leads")
                    .isZero();
            assertThat(members)
                    .containsOnlyKeys(replicas)
                    .allSatisfy((r, v) -> assertThat(v).as(r).isEqualTo(3.0));
            assertThat(poolMax)
                    .containsOnlyKeys(replicas)
                    .allSatisfy((r, v) -> assertThat(v).as(r).isEqualTo((double) POOL_MAX));
            // the bound by DB_POOL_MAX is test 3's; here: every replica's pool gauge is scraped and sampled
            assertThat(poolOpen)
                    .containsOnlyKeys(replicas)
                    .allSatisfy((r, v) -> assertThat(v).as(r).isPositive());
            assertThat(exceeded)
                    .containsOnlyKeys(replicas)
                    .allSatisfy((r, v) -> assertThat(v).as(r).isZero());
            // (70 - 20 - 45) / 15 = 0: exactly full
            assertThat(headroom)
                    .containsOnlyKeys(replicas)
                    .allSatisfy((r, v) -> assertThat(v).as(r).isZero());

            int expectedRules = 0;
            Map<String, Object> alerts = new org.yaml.snakeyaml.Yaml()
                    .load(java.nio.file.Files.readString(cluster.repo.resolve("docker/prometheus/alerts.yml")));
            for (Object g : (List<?>) alerts.get("groups")) {
                expectedRules += ((List<?>) ((Map<?, ?>) g).get("rules")).size();
            }
            // every rule evaluated at least once, none with an error
            Map<String, String> rules = new TreeMap<>();
            long rulesStart = System.nanoTime();
            // a rule evaluated before the first scrape (absent series) stays pending until its next evaluation:
            // wait for the state the assertions below expect, up to two evaluation intervals and more
            List<String> quiet = List.of("AdvwellNoLeader", "AdvwellConnectionBudgetExceeded", "AdvwellReplicaDown");
            while (System.nanoTime() - rulesStart < 60_000_000_000L) {
                rules.clear();
                for (JsonValue g : prometheus.api("/api/v1/rules").getJsonArray("groups")) {
                    for (JsonValue r : g.asJsonObject().getJsonArray("rules")) {
                        JsonObject rule = r.asJsonObject();
                        boolean evaluated =
                                !rule.getString("lastEvaluation", "0001").startsWith("0001");
                        rules.put(
                                rule.getString("name"),
                                !evaluated
                                        ? "not evaluated"
                                        : rule.getString("health") + " " + rule.getString("state", "") + " "
                                                + rule.getString("lastError", ""));
                    }
                }
                if (rules.size() == expectedRules
                        && rules.values().stream().allMatch(v -> v.startsWith("ok "))
                        && quiet.stream().allMatch(q -> "ok inactive ".equals(rules.get(q)))) {
                    break;
                }
                Thread.sleep(500);
            }
            System.out.println("[prometheus] alert rules (health, state): " + rules);
            assertThat(rules)
                    .hasSize(expectedRules)
                    .allSatisfy((name, v) -> assertThat(v).as(name).startsWith("ok "));
            assertThat(rules.get("AdvwellNoLeader")).isEqualTo("ok inactive ");
            assertThat(rules.get("AdvwellConnectionBudgetExceeded")).isEqualTo("ok inactive ");
            assertThat(rules.get("AdvwellReplicaDown")).isEqualTo("ok inactive ");
        }
    }

    /** One value per series of an instant vector, keyed by the given label. */
    private static Map<String, Double> series(JsonArray result, String label) {
        Map<String, Double> values = new TreeMap<>();
        for (JsonValue v : result) {
            JsonObject s = v.asJsonObject();
            values.put(
                    s.getJsonObject("metric").getString(label, "?"),
                    Double.parseDouble(s.getJsonArray("value").getString(1)));
        }
        return values;
    }

    @Test
    @Order(6)
    void aFourthReplicaOverTheConnectionBudgetIsNotReadyAndSaysWhy() throws Exception {
        // 'start' reuses a member's recorded environment; one left by an earlier run names that run's ports and schema
        java.nio.file.Files.deleteIfExists(cluster.stateDir.resolve("replica-4").resolve("env"));
        long start = System.nanoTime();
        Process starting = cluster.start("start", "replica-4");
        HttpResponse<String> readiness = null;
        try {
            // deployed (the replica check answers) and judged: the budget check is DOWN with its figures
            while (System.nanoTime() - start < 420_000_000_000L) {
                try {
                    readiness = cluster.get(4, "/health/ready", null);
                    // the budget is judged from the first heartbeat on, while the application still deploys
                    // (Payara then adds a "No Application deployed" check); its metrics exist once it is deployed
                    if (readiness.body().contains("\"EXCEEDED\"")
                            && readiness.body().contains("\"postgresql\"")
                            && !readiness.body().contains("No Application deployed")) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                if (!starting.isAlive()) {
                    // the script waits for readiness until READY_TIMEOUT: ending first means it gave up on the start
                    throw new AssertionError("scripts/cluster start replica-4 ended with " + starting.exitValue()
                            + " before replica-4 answered:\n"
                            + new String(starting.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                Thread.sleep(500);
            }
            System.out.printf(
                    "[budget] replica-4 judged after %.1f s: %s %s%n",
                    (System.nanoTime() - start) / 1e9,
                    readiness == null ? "no answer" : readiness.statusCode(),
                    readiness == null ? "" : readiness.body());
            assertThat(readiness).isNotNull();
            assertThat(readiness.statusCode()).isEqualTo(503);
            Map<String, JsonObject> checks = new HashMap<>();
            json(readiness)
                    .getJsonArray("checks")
                    .forEach(c -> checks.put(c.asJsonObject().getString("name"), c.asJsonObject()));
            assertThat(checks.get("postgresql").getString("status")).isEqualTo("UP");
            assertThat(checks.get("redis").getString("status")).isEqualTo("UP");
            JsonObject budget = checks.get("connection-budget");
            assertThat(budget.getString("status")).isEqualTo("DOWN");
            assertThat(budget.getJsonObject("data").getString("reason"))
                    .isEqualTo("member 4 of 4 in join order;"
                            + " pools up to it need 60 connections > 70 max_connections - 20 reserve = 50");

            String metrics4 = cluster.get(4, "/metrics?scope=application", null).body();
            // the gauges are registered once the application is deployed; give them a moment
            String[] scraped = {metrics4};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        scraped[0] = cluster.get(4, "/metrics?scope=application", null)
                                .body();
                        return gauge(scraped[0], "advwell_db_connection_budget_exceeded", "replica-4") != null;
                    });
            metrics4 = scraped[0];
            String metrics1 = cluster.get(1, "/metrics?scope=application", null).body();
            System.out.printf(
                    "[budget] replica-4 gauges: exceeded %s, headroom %s; replica-1: exceeded %s, headroom %s%n",
                    gauge(metrics4, "advwell_db_connection_budget_exceeded", "replica-4"),
                    gauge(metrics4, "advwell_db_connection_budget_headroom_replicas", "replica-4"),
                    gauge(metrics1, "advwell_db_connection_budget_exceeded", "replica-1"),
                    gauge(metrics1, "advwell_db_connection_budget_headroom_replicas", "replica-1"));
            assertThat(gauge(metrics4, "advwell_db_connection_budget_exceeded", "replica-4"))
                    .isEqualTo(1.0);
            assertThat(gauge(metrics4, "advwell_db_connection_budget_headroom_replicas", "replica-4"))
                    .isEqualTo(-1.0);
            assertThat(gauge(metrics1, "advwell_db_connection_budget_exceeded", "replica-1"))
                    .isZero();
            for (int i = 1; i <= 3; i++) {
                assertThat(cluster.get(i, "/health/ready", null).statusCode())
                        .as("replica-%d keeps its seat", i)
                        .isEqualTo(200);
            }

            try (Connection c = LocalCluster.db()) {
                JsonObject capacity = json(cluster.get(1, "/api/cluster/capacity", key));
                Map<String, Integer> seen = connectionsByApplication(c);
                System.out.println("[budget] GET /api/cluster/capacity on replica-1: " + capacity);
                System.out.println("[budget] pg_stat_activity right after, client connections by application: " + seen);
                int serverMax;
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SHOW max_connections")) {
                    rs.next();
                    serverMax = rs.getInt(1);
                }
                assertThat(capacity.getInt("maxConnections")).isEqualTo(MAX_CONNECTIONS_OVERRIDE);
                assertThat(capacity.getString("maxConnectionsFrom")).isEqualTo("DB_MAX_CONNECTIONS_OVERRIDE");
                assertThat(capacity.getInt("serverMaxConnections")).isEqualTo(serverMax);
                assertThat(capacity.getInt("reserve")).isEqualTo(RESERVE);
                assertThat(capacity.getInt("limit")).isEqualTo(50);
                assertThat(capacity.getInt("livePoolSum")).isEqualTo(60);
                assertThat(capacity.getInt("headroomReplicas")).isEqualTo(-1);
                assertThat(capacity.getJsonArray("members").stream()
                                .map(m -> m.asJsonObject().getString("instanceId")
                                        + (m.asJsonObject().getBoolean("fits") ? "" : " over")))
                        .endsWith("replica-4 over")
                        .hasSize(4);
                assertThat(capacity.getJsonObject("self").getString("standing")).isEqualTo("WITHIN");
                Map<String, Integer> reported = new TreeMap<>();
                int sum = 0;
                for (JsonValue g : capacity.getJsonArray("connectionsByRoleAndApplication")) {
                    JsonObject group = g.asJsonObject();
                    reported.merge(group.getString("application"), group.getInt("connections"), Integer::sum);
                    sum += group.getInt("connections");
                }
                assertThat(sum).as("groups add up to the total").isEqualTo(capacity.getInt("connectionsInUse"));
                for (int i = 1; i <= 4; i++) {
                    String app = "replica-" + i;
                    // idle pooled connections stay open for 5 minutes; one may open or close between the two reads
                    assertThat(reported.getOrDefault(app, 0))
                            .as("%s: API vs pg_stat_activity", app)
                            .isBetween(seen.getOrDefault(app, 0) - 1, seen.getOrDefault(app, 0) + 1)
                            .isPositive();
                }
            }
        } finally {
            if (ProcessHandle.of(cluster.pid("replica-4"))
                    .map(ProcessHandle::isAlive)
                    .orElse(false)) {
                cluster.run("kill", "replica-4", "TERM");
            }
            starting.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            starting.waitFor(60, TimeUnit.SECONDS);
        }

        // a graceful stop leaves the membership at once: the seat is free again
        JsonObject after = null;
        long stopped = System.nanoTime();
        while (System.nanoTime() - stopped < 20_000_000_000L) {
            after = json(cluster.get(1, "/api/cluster/capacity", key));
            if (after.getInt("livePoolSum") == 45) {
                break;
            }
            Thread.sleep(250);
        }
        System.out.printf(
                "[budget] after replica-4 stopped: live pools %d, headroom %d replicas%n",
                after.getInt("livePoolSum"), after.getInt("headroomReplicas"));
        assertThat(after.getInt("livePoolSum")).isEqualTo(45);
        assertThat(after.getInt("headroomReplicas")).isZero();
    }

    private static Map<String, Integer> connectionsByApplication(Connection c) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT application_name, count(*)"
                        + " FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    /** The value of one replica's series of a gauge in Prometheus text, or null when it is not there. */
    private static Double gauge(String metrics, String name, String replica) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*replica=\"" + replica + "\"[^}]*} (\\S+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }
}
