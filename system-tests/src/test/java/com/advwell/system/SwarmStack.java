package com.advwell.system;

import static com.advwell.system.DockerEngine.lines;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployed AdvWell stack as the Swarm tests see it: a Swarm manager that answers {@code docker service ...}, the
 * engines its containers run on (one on a single node, one per VPS otherwise), and the API through an edge. Holds
 * what {@link SwarmStackIT} and {@link SwarmNodesIT} both do with it: the runbook's secrets, waiting for convergence,
 * the API calls, a diagnosis when something does not come up.
 */
final class SwarmStack {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    final String prefix;
    final Docker manager;
    final String name;
    final URI edge;
    private final Supplier<List<Docker>> engines;
    String adminKey;
    /** Where the tasks reach the test's webhook receiver, e.g. {@code http://172.18.0.1:40339}. */
    String receiverBase;

    SwarmStack(String prefix, Docker manager, Supplier<List<Docker>> engines, String name, URI edge) {
        this.prefix = prefix;
        this.manager = manager;
        this.engines = engines;
        this.name = name;
        this.edge = edge;
    }

    // --- the runbook ----------------------------------------------------------------------------------------------

    /**
     * Runs the secret commands of docs/operations.md ("First deployment") exactly as written, with bash against the
     * manager, and keeps the admin key they print. Secrets of the same names left by an earlier run are removed first
     * (their content cannot be read back); a secret still used by a service fails the test. Answers the names.
     */
    List<String> createSecretsAsTheRunbookSays() throws Exception {
        String block = Runbook.operations().secretCommands();
        Matcher names = Pattern.compile("docker secret create (\\S+) -").matcher(block);
        List<String> secrets = new ArrayList<>();
        while (names.find()) {
            secrets.add(names.group(1));
        }
        assertThat(secrets)
                .as("secrets in the runbook")
                .contains(
                        "advwell_db_password",
                        "advwell_redis_password",
                        "advwell_admin_api_key",
                        "advwell_webhook_signing_secret");
        Set<String> existing = Set.copyOf(lines(manager.run("secret", "ls", "--format", "{{.Name}}")));
        for (String s : secrets) {
            if (existing.contains(s)) {
                DockerEngine.Result rm = manager.tryRun("secret", "rm", s);
                assertThat(rm.exit())
                        .as("secret %s exists and cannot be removed (in use?): %s", s, rm.out())
                        .isZero();
            }
        }
        DockerEngine.Result r = manager.shell(block);
        assertThat(r.exit())
                .as("the runbook's secret commands:\n%s\n%s", block, r.out())
                .isZero();
        adminKey = r.out()
                .lines()
                .map(String::strip)
                .filter(l -> l.matches("[A-Za-z0-9]{32,}"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the runbook's commands printed no admin key:\n" + r.out()));
        System.out.printf("%s secrets created by the runbook's commands: %s%n", prefix, secrets);
        return secrets;
    }

    // --- convergence ----------------------------------------------------------------------------------------------

    /**
     * Waits until every service of the stack runs all its tasks, each service of {@code healthy} has that many
     * healthy containers (over every engine), and the edge answers /health/ready; answers the seconds (since
     * {@code since}) at which each became so.
     */
    Map<String, Double> awaitConverged(Map<String, Integer> healthy, Duration timeout, long since) throws Exception {
        Map<String, Double> at = new TreeMap<>() {
            @Override
            public String toString() {
                StringBuilder sb = new StringBuilder();
                forEach((k, v) ->
                        sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" %.1f s".formatted(v)));
                return sb.toString();
            }
        };
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> services = lines(manager.run(
                    "service",
                    "ls",
                    "--filter",
                    "label=com.docker.stack.namespace=" + name,
                    "--format",
                    "{{.Name}} {{.Replicas}}"));
            boolean running = !services.isEmpty()
                    && services.stream().allMatch(l -> {
                        Matcher m = Pattern.compile("\\S+ (\\d+)/(\\d+).*").matcher(l);
                        return m.matches() && m.group(1).equals(m.group(2));
                    });
            if (running) {
                at.putIfAbsent("tasks running", secondsSince(since));
            }
            for (Map.Entry<String, Integer> e : healthy.entrySet()) {
                if (healthy(e.getKey()) == e.getValue()) {
                    at.putIfAbsent(e.getKey() + " healthy", secondsSince(since));
                }
            }
            if (at.size() == healthy.size() + 1 && edgeReady()) {
                at.put("edge ready", secondsSince(since));
                return at;
            }
            Thread.sleep(1000);
        }
        diagnose();
        throw new AssertionError("stack not converged within " + timeout + " (" + at + ")");
    }

    /** Healthy containers of one of the stack's services, over every engine. */
    int healthy(String service) throws Exception {
        int n = 0;
        for (Docker engine : engines.get()) {
            n += lines(engine.run(
                            "ps",
                            "-q",
                            "--filter",
                            "label=com.docker.swarm.service.name=" + name + "_" + service,
                            "--filter",
                            "health=healthy"))
                    .size();
        }
        return n;
    }

    boolean edgeReady() {
        try {
            return send("GET", "/health/ready", null, null).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The tasks of a service that should run, each with the node it is on: {@code advwell_backend.1 -> vps-2}. */
    Map<String, String> placement(String service) throws Exception {
        Map<String, String> nodes = new TreeMap<>();
        for (String l : lines(manager.run(
                "service",
                "ps",
                "--filter",
                "desired-state=running",
                "--format",
                "{{.Name}} {{.Node}}",
                name + "_" + service))) {
            String[] f = l.split(" ");
            nodes.put(f[0], f.length > 1 ? f[1] : "?");
        }
        return nodes;
    }

    /** What the services and the backend's and edge's tasks say, for a failure. */
    void diagnose() {
        for (String[] cmd : List.of(
                new String[] {"service", "ls"},
                new String[] {
                    "service",
                    "ps",
                    "--no-trunc",
                    "--format",
                    "{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}",
                    name + "_backend"
                },
                new String[] {"service", "logs", "--tail", "40", name + "_backend"},
                new String[] {"service", "logs", "--tail", "20", name + "_edge"},
                new String[] {"service", "logs", "--tail", "20", name + "_postgres"})) {
            try {
                System.out.println(prefix + " diagnosis: docker " + String.join(" ", cmd) + "\n"
                        + manager.tryRun(cmd).out());
            } catch (Exception e) {
                System.out.println(prefix + " diagnosis: docker " + String.join(" ", cmd) + ": " + e);
            }
        }
    }

    // --- the API through the edge ---------------------------------------------------------------------------------

    HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(edge.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A webhook job to the test's receiver, retried every second up to 10 times. */
    HttpResponse<String> addJob(String key, String id) throws Exception {
        return send("POST", "/api/queues/webhooks/jobs", key, """
                {"id":"%s","type":"http","attempts":10,"backoff":{"type":"fixed","delayMs":1000},
                 "payload":{"url":"%s/jobs/%s","body":{"job":"%s"}}}""".formatted(id, receiverBase, id, id));
    }

    /** GET /api/cluster as the admin, or null while it does not answer 200. */
    JsonObject clusterView() {
        try {
            HttpResponse<String> r = send("GET", "/api/cluster", adminKey, null);
            return r.statusCode() == 200 ? json(r) : null;
        } catch (Exception e) {
            return null;
        }
    }

    record Client(String tenantId, String key) {}

    /** Creates a tenant and a client of it, which comes with its first key. */
    Client createClient(String tenantName) throws Exception {
        String tenant = json(expect(201, send("POST", "/api/tenants", adminKey, "{\"name\":\"" + tenantName + "\"}")))
                .getString("id");
        return new Client(
                tenant,
                json(expect(
                                201,
                                send(
                                        "POST",
                                        "/api/tenants/" + tenant + "/clients",
                                        adminKey,
                                        "{\"name\":\"" + tenantName + "-client\",\"role\":\"client\"}")))
                        .getString("key"));
    }

    static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertThat(r.statusCode())
                .as("%s %s: %s", r.request().method(), r.uri(), r.body())
                .isEqualTo(status);
        return r;
    }

    static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    // --- waiting --------------------------------------------------------------------------------------------------

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls until the check holds; a check that throws IOException counts as not yet; diagnoses on time-out. */
    void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException notYet) {
                // not answering yet
            }
            if (System.nanoTime() > deadline) {
                diagnose();
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Like {@link #await} without the diagnosis or failure on time-out (the caller reports what is missing). */
    static void awaitQuiet(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    /** {@link #await}, answering the seconds since {@code since} when the check held. */
    double awaitSeconds(String what, Duration timeout, Check check, long since) throws Exception {
        await(what, timeout, () -> {
            try {
                return check.ok();
            } catch (IOException e) {
                return false;
            }
        });
        return secondsSince(since);
    }

    static double secondsSince(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
