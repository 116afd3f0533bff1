package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real processes started with {@code scripts/cluster} on ports and a state directory of its own, so a
 * test never touches a developer's cluster: Redis master and replica, three Sentinels, and Payara Micro replicas
 * sharing the local PostgreSQL through a schema of their own.
 */
final class LocalCluster implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    final Path repo;
    final Path stateDir;
    final int httpBase;
    final int redisMasterPort;
    final int redisReplicaPort;
    final List<Integer> sentinelPorts;
    final String schema;
    final Map<String, String> extraEnv = new HashMap<>();

    LocalCluster(String name) throws IOException {
        repo = Path.of(System.getProperty("advwell.repo", ".."))
                .toAbsolutePath()
                .normalize();
        stateDir = Path.of(System.getProperty("advwell.clusterDirs", "target/clusters"))
                .toAbsolutePath()
                .resolve(name);
        Files.createDirectories(stateDir);
        int base = freeBlock();
        httpBase = base;
        redisMasterPort = base + 40;
        redisReplicaPort = base + 41;
        sentinelPorts = List.of(base + 42, base + 43, base + 44);
        schema = "cl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * A block of 50 free ports (replicas at base+1.., Redis and Sentinels at base+40..44), below the kernel's
     * ephemeral range: a replica started minutes after the check (a fourth one, a restarted one) must find its port
     * free, and a port in that range may by then be the local end of any outgoing connection (a pooled PostgreSQL
     * connection holds one for minutes), which Payara Micro cannot bind.
     */
    private static int freeBlock() throws IOException {
        int low = 20_000;
        int high = Math.max(low + 2_500, ephemeralPortsFrom() - 50);
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = low + (int) (Math.random() * ((high - low) / 50)) * 50;
            boolean free = true;
            for (int p = base; p < base + 50 && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no block of 50 free ports found between " + low + " and " + high);
    }

    /** The first port of the kernel's ephemeral range (Linux's default 32768 when it cannot be read). */
    private static int ephemeralPortsFrom() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .strip()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /**
     * Makes this cluster's replicas compile with C1 only ({@code -XX:TieredStopAtLevel=1}, as IDEs and Spring Boot's
     * {@code spring-boot:run} long did for short-lived JVMs), for tests of behaviour (leadership, failover, the
     * console) that start and restart replicas many times on two cores: a boot costs about 40 % less CPU (measured
     * with one replica: 15 to 9 CPU-s to ready on a quick day, 48 to 30 on a slow one). The JIT tier changes how fast
     * the code runs, never what it does; tests that push load through the replicas and the benchmarks keep the flags
     * replicas ship with ({@code scripts/replica}).
     */
    LocalCluster bootingQuickly() {
        extraEnv.put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        return this;
    }

    /** Runs {@code scripts/cluster <args>}; fails the test with the script's output when it exits non-zero. */
    String run(String... args) throws Exception {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("scripts/cluster " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /**
     * Starts {@code scripts/cluster <args>} without waiting for it, for a replica that is expected never to become
     * ready (the script would wait for it until READY_TIMEOUT); the caller reads or discards its output.
     */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("scripts/cluster").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CLUSTER_DIR", stateDir.toString());
        env.put("HTTP_BASE_PORT", String.valueOf(httpBase));
        env.put("REDIS_MASTER_PORT", String.valueOf(redisMasterPort));
        env.put("REDIS_REPLICA_PORT", String.valueOf(redisReplicaPort));
        env.put(
                "SENTINEL_PORTS",
                sentinelPorts.stream()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + "," + b)
                        .orElseThrow());
        env.put("DB_SCHEMA", schema);
        env.put("READY_TIMEOUT", "420");
        env.putAll(extraEnv);
        return pb.start();
    }

    String adminKey() throws IOException {
        return Files.readString(stateDir.resolve("admin-api-key")).strip();
    }

    URI replica(int i, String path) {
        return URI.create("http://127.0.0.1:" + (httpBase + i) + path);
    }

    long pid(String member) throws IOException {
        return Long.parseLong(
                Files.readString(stateDir.resolve(member).resolve("pid")).strip());
    }

    HttpResponse<String> get(int replica, String path, String key) throws Exception {
        return send(HttpRequest.newBuilder(replica(replica, path)).GET(), key);
    }

    /** POSTs a JSON body (or no body when {@code body} is empty) to a replica. */
    HttpResponse<String> post(int replica, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(replica(replica, path));
        if (body.isEmpty()) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request, key);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String key) throws Exception {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    static JsonObject json(HttpResponse<String> response) {
        return json(response.body());
    }

    /**
     * Kills the Redis master the Sentinels name ({@code scripts/cluster kill redis-current-master}) and returns which
     * member that was: the one of the two Redis members whose PID file names a process that has exited.
     */
    String killRedisMaster() throws Exception {
        Map<String, Long> pids = Map.of("redis-master", pid("redis-master"), "redis-replica", pid("redis-replica"));
        run("kill", "redis-current-master");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<String> exited = pids.entrySet().stream()
                    .filter(e -> ProcessHandle.of(e.getValue())
                            .map(h -> !h.isAlive())
                            .orElse(true))
                    .map(Map.Entry::getKey)
                    .toList();
            if (exited.size() == 1) {
                return exited.get(0);
            }
            assertThat(exited).as("only the master is killed").hasSizeLessThan(2);
            Thread.sleep(20);
        }
        throw new AssertionError("neither Redis process exited within 10 s of the kill: " + pids);
    }

    /** The local PostgreSQL the replicas share (the cluster's tables are in {@link #schema}). */
    static Connection db() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/advwell", "advwell", "advwell");
    }

    /** Stops every process the cluster started and drops its schema. */
    @Override
    public void close() throws Exception {
        run("down");
        try (Connection c = db();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
