package com.advwell.system;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus (Debian's package) scraping a local cluster: its configuration is docker/prometheus/prometheus.yml
 * with each backend job's Swarm DNS discovery replaced by the local replicas as static targets, and
 * docker/prometheus/alerts.yml as its rule file. Runs on a free loopback port with its data in a temporary directory.
 */
final class LocalPrometheus implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    final Path dir;
    final Path log;
    final int port;
    private final Process process;

    /**
     * @param repo    the repository root (docker/prometheus is read from there)
     * @param targets job name of docker/prometheus/prometheus.yml to the {@code host:port} targets it scrapes here
     */
    @SuppressWarnings("unchecked")
    LocalPrometheus(Path repo, Map<String, List<String>> targets) throws IOException {
        dir = Files.createTempDirectory(
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))), "prometheus-");
        log = dir.resolve("prometheus.log");
        port = freePort();
        Path source = repo.resolve("docker/prometheus");
        Map<String, Object> config = new Yaml().load(Files.readString(source.resolve("prometheus.yml")));
        // short intervals so a test sees series and rule evaluations within seconds
        config.put("global", Map.of("scrape_interval", "2s", "evaluation_interval", "2s"));
        config.put(
                "rule_files",
                ((List<String>) config.get("rule_files"))
                        .stream().map(f -> source.resolve(f).toString()).toList());
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            Map<String, Object> local = new LinkedHashMap<>(job);
            String name = job.get("job_name").toString();
            if (job.containsKey("dns_sd_configs")) {
                if (!targets.containsKey(name)) {
                    throw new IllegalArgumentException("no local targets for job " + name);
                }
                local.remove("dns_sd_configs");
                local.put("static_configs", List.of(Map.of("targets", targets.get(name))));
            } else if (name.equals("prometheus")) {
                local.put("static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + port))));
            }
            jobs.add(local);
        }
        config.put("scrape_configs", jobs);
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, new Yaml().dump(config));
        process = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + file,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String config() throws IOException {
        return Files.readString(dir.resolve("prometheus.yml"));
    }

    /** GET on Prometheus' HTTP API; returns the {@code data} member of a successful answer. */
    JsonObject api(String path) throws Exception {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        if (r.statusCode() != 200 || !"success".equals(body.getString("status", ""))) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return body.getJsonObject("data");
    }

    /** Instant query; the result vector. */
    JsonArray query(String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .getJsonArray("result");
    }

    /** Waits until Prometheus answers its readiness endpoint. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                .timeout(Duration.ofSeconds(3))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("prometheus not ready:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
