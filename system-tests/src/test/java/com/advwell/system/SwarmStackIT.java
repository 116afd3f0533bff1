package com.advwell.system;

import static com.advwell.system.DockerEngine.docker;
import static com.advwell.system.DockerEngine.lines;
import static com.advwell.system.DockerEngine.tryDocker;
import static com.advwell.system.SwarmStack.expect;
import static com.advwell.system.SwarmStack.json;
import static com.advwell.system.SwarmStack.ms;
import static com.advwell.system.SwarmStack.secondsSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The production stack on a real single-node Docker Swarm, deployed the way docs/operations.md says: engine and images
 * through scripts/swarm, {@code docker swarm init}, the overlay network, the secrets by the runbook's own commands
 * (run from the document), {@code docker stack deploy -c docker/stack.yml -c docker/stack.local.yml} plus a small
 * test override (the webhook receiver's address, Prometheus published). Then: convergence, one leader, Prometheus
 * finding every task through Swarm DNS, webhooks and a schedule delivered, the backend scaled 4 → 6 under load, the
 * connection budget against PostgreSQL, a Redis master container killed, a backend container {@code kill -9}ed.
 * Prints what it measures with the prefix {@code [swarm]}; leaves nothing behind that it created.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmStackIT {

    private static final String P = "[swarm]";
    private static final String STACK = "advwellit";
    private static final String NETWORK = "network_public";
    /**
     * The stack deploys 4 backends and 2 workers, one per core of the seed's VPSs; on this one 2-core node the test's
     * override deploys 2 and 1, which prove the same things (one leader among several backends, a dedicated worker,
     * the edge balancing, a rolling update that never leaves the service without a ready task) for half the Payara
     * boots. Every boot here costs up to a minute of CPU on a slow day, and the boots were most of the suite's time.
     */
    private static final int BACKENDS = 2;

    private static final int WORKERS = 1;
    /**
     * Two more backends prove the scale-out (placement, budget, targets, work taken by the new ones);
     * {@code -Dadvwell.swarm.scaleTo=N} scales further.
     */
    private static final int SCALED = Integer.getInteger("advwell.swarm.scaleTo", 4);

    private static final int POOL_MAX = 15;
    private static final URI EDGE = URI.create("http://127.0.0.1:8080");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    /** Records the Swarm this test initialised (cluster id), so a run after an interrupted one still leaves it. */
    private static final Path SWARM_MARK = DockerEngine.REPO.resolve(".swarm/swarm-it.cluster");

    private static final long SUITE_START = System.nanoTime();
    private static DockerEngine engine;
    private static boolean swarmCreated;
    private static boolean networkCreated;
    private static final List<String> secretsCreated = new ArrayList<>();
    private static SwarmStack stack;
    private static WebhookReceiver receiver;
    private static int prometheusPort;
    private static String tenantId;
    private static String clientKey;
    private static StackLoad load;
    /** Every job whose add was acknowledged (201 or 200), by any part of the test. */
    private static final Set<String> acked = ConcurrentHashMap.newKeySet();
    /** Images built by the rolling-update test, removed at the end. */
    private static final List<String> testImages = new ArrayList<>();

    // --- bring-up -------------------------------------------------------------------------------------------------

    @BeforeAll
    static void up() throws Exception {
        engine = DockerEngine.up(P);
        stack = new SwarmStack(P, Docker.LOCAL, () -> List.of(Docker.LOCAL), STACK, EDGE);
        try {
            joinOrInitSwarm();
            removeLeftovers();
            secretsCreated.addAll(stack.createSecretsAsTheRunbookSays());
            receiver = new WebhookReceiver();
            deploy();
        } catch (Throwable e) {
            stack.diagnose();
            throw e;
        }
    }

    private static void joinOrInitSwarm() throws Exception {
        String state = docker("info", "-f", "{{.Swarm.LocalNodeState}}");
        switch (state) {
            case "inactive" -> {
                long t = System.nanoTime();
                DockerEngine.Result init = tryDocker("swarm", "init", "--advertise-addr", "127.0.0.1");
                if (init.exit() != 0) {
                    tryDocker("swarm", "leave", "--force"); // never leave a half-initialised Swarm behind
                    fail("docker swarm init failed:\n" + init.out());
                }
                swarmCreated = true;
                Files.createDirectories(SWARM_MARK.getParent());
                Files.writeString(SWARM_MARK, docker("info", "-f", "{{.Swarm.Cluster.ID}}"));
                System.out.printf("%s docker swarm init --advertise-addr 127.0.0.1: %d ms%n", P, ms(t));
            }
            case "active" -> {
                assertThat(docker("info", "-f", "{{.Swarm.ControlAvailable}}"))
                        .as("this node is a Swarm manager")
                        .isEqualTo("true");
                String cluster = docker("info", "-f", "{{.Swarm.Cluster.ID}}");
                // a Swarm this test initialised in a run that was interrupted before its tear-down is still its own
                swarmCreated = Files.exists(SWARM_MARK)
                        && Files.readString(SWARM_MARK).strip().equals(cluster);
                System.out.println(P
                        + (swarmCreated
                                ? " reusing the Swarm an interrupted run of this test initialised"
                                : " using the Swarm this node is already a manager of (it stays)"));
            }
            default ->
                fail("the node's Swarm state is '" + state + "', neither inactive nor active; this test never"
                        + " resets a Swarm it did not create: `docker swarm leave --force` by hand");
        }
        if (lines(docker("network", "ls", "-q", "--filter", "name=^" + NETWORK + "$"))
                .isEmpty()) {
            // the runbook's command
            docker("network", "create", "--driver", "overlay", "--attachable", NETWORK);
            networkCreated = true;
        }
    }

    /** A stack of this test's name, its volumes and secrets left by an interrupted run. */
    private static void removeLeftovers() throws Exception {
        if (lines(docker("stack", "ls", "--format", "{{.Name}}")).contains(STACK)) {
            System.out.println(P + " removing stack " + STACK + " left by an earlier run");
            removeStack();
        }
        removeVolumes();
    }

    private static void deploy() throws Exception {
        String gateway = gwbridgeAddress();
        stack.receiverBase = "http://" + gateway + ":" + receiver.port();
        try (ServerSocket s = new ServerSocket(0)) {
            prometheusPort = s.getLocalPort();
        }
        try (ServerSocket s = new ServerSocket(8080)) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            fail("port 8080, which the stack's edge publishes, is taken on this machine: " + e.getMessage());
        }
        Path dir = Path.of(System.getProperty("advwell.it.workdir", "target")).resolve("swarm-it");
        Files.createDirectories(dir);
        Path override = dir.resolve("stack.it.yml");
        Files.writeString(override, """
                # Written by SwarmStackIT for one run, deployed after docker/stack.yml and docker/stack.local.yml.
                services:
                  backend:
                    environment:
                      # The test's webhook receiver runs in the test JVM on this host. Tasks reach the host at its address
                      # on docker_gwbridge (the bridge Swarm gives every task for traffic leaving the overlay), a private
                      # address the SSRF guard refuses unless allowed.
                      WEBHOOK_ALLOWED_DESTINATIONS: "%1$s/32"
                    deploy:
                      replicas: %5$d # the stack's 4 backends and 2 workers: one per core of the seed's VPSs
                      resources:
                        # The stack reserves half a core per replica (VPSs of 1 core per replica); this node has %3$d
                        # cores, so Swarm would leave all but %4$d replicas pending. Limits stay the stack's.
                        reservations: {cpus: "0.1"}
                    healthcheck:
                      # The stack's 120 s start period is one boot on its own core; here several Payara boots share this
                      # node's cores (with a busy machine a boot took longer and Swarm killed the tasks as
                      # unhealthy). A task is healthy as soon as /health/ready answers, so a longer period costs nothing.
                      start_period: 600s
                  worker:
                    environment:
                      WEBHOOK_ALLOWED_DESTINATIONS: "%1$s/32"
                    deploy:
                      replicas: %6$d
                      resources:
                        reservations: {cpus: "0.1"}
                    healthcheck:
                      start_period: 600s
                  prometheus:
                    # published for the test's queries only (host mode; stack.yml publishes nothing for Prometheus)
                    ports:
                      - {target: 9090, published: %2$d, protocol: tcp, mode: host}
                """.formatted(
                        gateway,
                        prometheusPort,
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().availableProcessors() * 2,
                        BACKENDS,
                        WORKERS));
        long t = System.nanoTime();
        DockerEngine.Result r = DockerEngine.run(
                Duration.ofMinutes(3),
                null,
                Map.of("ADVWELL_VERSION", DockerEngine.VERSION),
                "docker",
                "stack",
                "deploy",
                "--resolve-image",
                "never",
                "-c",
                "docker/stack.yml",
                "-c",
                "docker/stack.local.yml",
                "-c",
                override.toString(),
                STACK);
        assertThat(r.exit()).as("docker stack deploy:\n%s", r.out()).isZero();
        System.out.printf(
                "%s docker stack deploy (%s, backend image advwell/backend:%s): %d ms; webhook receiver %s%n",
                P, STACK, DockerEngine.VERSION, ms(t), stack.receiverBase);
        Map<String, Double> ready =
                stack.awaitConverged(Map.of("backend", BACKENDS, "worker", WORKERS), Duration.ofMinutes(7), t);
        System.out.printf("%s every service converged %.1f s after the deploy (%s)%n", P, secondsSince(t), ready);
    }

    /** The host's IPv4 address on docker_gwbridge, the bridge Swarm creates for the tasks' traffic off the overlay. */
    private static String gwbridgeAddress() throws Exception {
        // swarm init creates the bridge a moment after it returns
        NetworkInterface nic = NetworkInterface.getByName("docker_gwbridge");
        for (int i = 0; nic == null && i < 100; i++) {
            Thread.sleep(200);
            nic = NetworkInterface.getByName("docker_gwbridge");
        }
        assertThat(nic).as("docker_gwbridge (created by docker swarm init)").isNotNull();
        return nic.inetAddresses()
                .filter(a -> a instanceof Inet4Address)
                .map(InetAddress::getHostAddress)
                .findFirst()
                .orElseThrow(() -> new AssertionError("docker_gwbridge has no IPv4 address"));
    }

    // --- the tests ------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyBackendAnswersThroughTheEdgeAndExactlyOneLeads() throws Exception {
        Set<String> backendIds = new TreeSet<>();
        for (int slot = 1; slot <= BACKENDS; slot++) {
            backendIds.add(STACK + "_backend." + slot);
        }
        long t = System.nanoTime();
        Set<String> answered = new TreeSet<>();
        JsonObject view = null;
        while (System.nanoTime() - t < 90_000_000_000L) {
            view = stack.clusterView();
            if (view != null) {
                answered.add(view.getJsonObject("self").getString("instanceId"));
                if (answered.containsAll(backendIds)
                        && view.getJsonArray("members").size() == BACKENDS + WORKERS
                        && !view.isNull("leader")) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        assertThat(view).as("GET /api/cluster through the edge").isNotNull();
        assertThat(answered).as("replicas that answered through the edge").isEqualTo(backendIds);
        Set<String> members = new TreeSet<>();
        view.getJsonArray("members").forEach(m -> members.add(m.asJsonObject().getString("instanceId")));
        String leader = view.getString("leader");
        // every backend, asked in turn through the edge, names the same leader and only that one acts as leader
        Set<String> leaders = new TreeSet<>();
        Set<String> acting = new TreeSet<>();
        for (int i = 0; i < 4 * BACKENDS; i++) {
            JsonObject v = stack.clusterView();
            assertThat(v).as("GET /api/cluster").isNotNull();
            leaders.add(v.isNull("leader") ? "none" : v.getString("leader"));
            if (v.getJsonObject("self").getBoolean("leader")) {
                acting.add(v.getJsonObject("self").getString("instanceId"));
            }
        }
        System.out.printf(
                "%s through the edge (127.0.0.1:8080): %s answered; members %s; leader %s (named by every"
                        + " answer: %s, acting: %s)%n",
                P, answered, members, leader, leaders, acting);
        assertThat(members)
                .as("members: %d backends + %d workers", BACKENDS, WORKERS)
                .hasSize(BACKENDS + WORKERS)
                .containsAll(backendIds)
                .contains(STACK + "_worker.1");
        assertThat(backendIds)
                .as("the leader is a backend (workers never campaign)")
                .contains(leader);
        assertThat(leaders).as("leaders named").containsExactly(leader);
        assertThat(acting).as("replicas acting as leader").containsExactly(leader);
    }

    @Test
    @Order(2)
    void prometheusFindsEveryTaskThroughSwarmDnsAndSeesOneLeader() throws Exception {
        long t = System.nanoTime();
        Map<String, Integer> up = awaitTargets(BACKENDS, WORKERS, Duration.ofSeconds(120));
        double seconds = secondsSince(t);
        double leaders = Double.NaN;
        while (System.nanoTime() - t < 120_000_000_000L) {
            JsonArray result = prometheus("/api/v1/query?query=" + enc("sum(advwell_leader)"))
                    .getJsonObject("data")
                    .getJsonArray("result");
            if (!result.isEmpty()) {
                leaders = Double.parseDouble(
                        result.getJsonObject(0).getJsonArray("value").getString(1));
                if (leaders == 1) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        System.out.printf(
                "%s Prometheus (dns_sd_configs on tasks.backend, tasks.worker): targets up %s after %.1f s;"
                        + " sum(advwell_leader) = %.0f%n",
                P, up, seconds, leaders);
        assertThat(up).containsEntry("advwell-backend", BACKENDS).containsEntry("advwell-worker", WORKERS);
        assertThat(leaders).as("sum(advwell_leader) over every scraped task").isEqualTo(1.0);
    }

    @Test
    @Order(3)
    void webhookJobsAndAScheduleAddedThroughTheApiAreAllDelivered() throws Exception {
        SwarmStack.Client client = stack.createClient("swarm-it");
        tenantId = client.tenantId();
        clientKey = client.key();

        int jobs = 200;
        long t = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> adds = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            String id = "first-" + i;
            adds.add(pool.submit(() -> {
                expect(201, stack.addJob(clientKey, id));
                acked.add(id);
                return id;
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : adds) {
            ids.add(f.get());
        }
        pool.shutdown();
        double added = secondsSince(t);
        String schedule = "swarm-it-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = expect(201, stack.send("POST", "/api/schedules", clientKey, """
                {"name":"%s","cron":"*/2 * * * * ?","timeZone":"UTC","queue":"webhooks",
                 "payload":{"url":"%s/schedules/%s","body":{"event":"heartbeat"}}}""".formatted(
                        schedule, stack.receiverBase, schedule)));
        String scheduleId = json(created).getString("id");
        long s = System.nanoTime();
        stack.await(
                "every job delivered and the schedule fired 3 times",
                Duration.ofSeconds(120),
                () -> receiver.jobs.containsAll(ids) && receiver.scheduleDeliveries(schedule) >= 3);
        double delivered = secondsSince(t);
        double fired = secondsSince(s);
        expect(204, stack.send("DELETE", "/api/schedules/" + scheduleId, clientKey, null));
        // the receiver answers before the replica records the job as completed
        Set<String> done = ConcurrentHashMap.newKeySet();
        SwarmStack.awaitQuiet(Duration.ofSeconds(30), () -> {
            for (String id : ids) {
                if (!done.contains(id)
                        && "completed"
                                .equals(json(stack.send("GET", "/api/queues/webhooks/jobs/" + id, clientKey, null))
                                        .getString("state"))) {
                    done.add(id);
                }
            }
            return done.size() == ids.size();
        });
        int completed = done.size();
        System.out.printf(
                "%s %d webhook jobs added through the edge in %.1f s, all delivered %.1f s after the first"
                        + " add (%d repeats, %d unsigned), %d completed in the API; schedule '*/2 * * * * ?' delivered %d times"
                        + " in %.1f s%n",
                P,
                jobs,
                added,
                delivered,
                receiver.repeats.get(),
                receiver.unsigned.get(),
                completed,
                receiver.scheduleDeliveries(schedule),
                fired);
        assertThat(completed).as("jobs completed").isEqualTo(jobs);
        assertThat(receiver.unsigned.get())
                .as("deliveries without a webhook-signature")
                .isZero();
    }

    @Test
    @Order(4)
    void theBackendScalesUnderLoadWithinTheConnectionBudget() throws Exception {
        assertThat(clientKey).as("client created by the webhook test").isNotNull();
        load = new StackLoad(stack, clientKey, acked, 2);
        Thread.sleep(3000);
        load.phase("scale");
        long t = System.nanoTime();
        docker("service", "scale", "-d", STACK + "_backend=" + SCALED);
        Map<String, Double> ready =
                stack.awaitConverged(Map.of("backend", SCALED, "worker", WORKERS), Duration.ofMinutes(6), t);
        double healthy = secondsSince(t);
        Set<String> all = new TreeSet<>();
        for (int slot = 1; slot <= SCALED; slot++) {
            all.add(STACK + "_backend." + slot);
        }
        Set<String> answered = new TreeSet<>();
        stack.await("every backend answering through the edge", Duration.ofSeconds(60), () -> {
            JsonObject v = stack.clusterView();
            if (v != null) {
                answered.add(v.getJsonObject("self").getString("instanceId"));
            }
            return answered.containsAll(all);
        });
        double balanced = secondsSince(t);
        long scaledAt = System.nanoTime();
        StackLoad.Phase scale = load.phase("after-scale");
        System.out.printf(
                "%s docker service scale %s_backend=%d under load: all %d healthy after %.1f s (%s), all"
                        + " answering through the edge after %.1f s; during the scale %s%n",
                P, STACK, SCALED, SCALED, healthy, ready, balanced, scale);

        printMemory();
        checkConnectionBudget();

        long p = System.nanoTime();
        Map<String, Integer> up = awaitTargets(SCALED, WORKERS, Duration.ofSeconds(90));
        System.out.printf("%s Prometheus targets up %s %.1f s after all were ready%n", P, up, secondsSince(p));
        assertThat(up).containsEntry("advwell-backend", SCALED);

        // jobs added once every replica was up are run by the new replicas too
        Thread.sleep(10_000);
        List<String> recent = load.ackedSince(scaledAt);
        stack.await(
                "the jobs added after the scale delivered",
                Duration.ofSeconds(60),
                () -> receiver.jobs.containsAll(recent));
        Map<String, Integer> workers = new TreeMap<>();
        for (String id : recent.subList(0, Math.min(120, recent.size()))) {
            JsonObject job = json(
                    stack.send("GET", "/api/queues/webhooks/jobs/" + id + "?tenant=" + tenantId, stack.adminKey, null));
            workers.merge(job.isNull("worker") ? "none" : job.getString("worker"), 1, Integer::sum);
        }
        System.out.printf(
                "%s %d jobs added after the scale, run by (first %d): %s%n",
                P, recent.size(), Math.min(120, recent.size()), workers);
        assertThat(scale.errors())
                .as("request errors while scaling up: %s", scale)
                .isZero();
        assertThat(workers.keySet().stream().filter(w -> {
                    Matcher m = Pattern.compile(Pattern.quote(STACK) + "_backend\\.(\\d+)\\b.*")
                            .matcher(w);
                    return m.matches() && Integer.parseInt(m.group(1)) > BACKENDS;
                }))
                .as("jobs run by the replicas added by the scale")
                .isNotEmpty();
    }

    @Test
    @Order(5)
    void aKilledRedisMasterContainerIsReplacedBySentinelAndNoAcknowledgedJobIsLost() throws Exception {
        ensureLoad();
        String sentinel = container("redis-sentinel-1");
        assertThat(masterName(sentinel)).as("Sentinel's master before the kill").isEqualTo("redis-master");
        String master = container("redis-master");
        StackLoad.Phase before = load.phase("redis-failover");
        System.out.println(P + " load before the Redis kill: " + before);
        long t = System.nanoTime();
        docker("kill", master);
        double promoted = stack.awaitSeconds(
                "Sentinel names redis-replica master",
                Duration.ofSeconds(60),
                () -> "redis-replica".equals(masterName(sentinel)),
                t);
        double writes = stack.awaitSeconds(
                "POST /api/diagnostics/redis answers 200 through the edge",
                Duration.ofSeconds(60),
                () -> status(stack.send("POST", "/api/diagnostics/redis", stack.adminKey, "")) == 200,
                t);
        double adds = stack.awaitSeconds(
                "an add acknowledged again",
                Duration.ofSeconds(90),
                () -> {
                    String id = "probe-" + UUID.randomUUID();
                    int code = status(stack.addJob(clientKey, id));
                    if (code == 201) {
                        acked.add(id);
                    }
                    return code == 201;
                },
                t);
        String newMasterContainer = container("redis-replica");
        double follows = stack.awaitSeconds(
                "the restarted redis-master replicating from redis-replica",
                Duration.ofSeconds(90),
                () -> redisInfo(newMasterContainer).contains("connected_slaves:1"),
                t);
        StackLoad.Phase during = load.phase("after-failover");
        System.out.printf(
                "%s docker kill of the redis-master container: Sentinel promoted redis-replica after %.1f s,"
                        + " Redis writes through the API after %.1f s, adds acknowledged again after %.1f s, the restarted"
                        + " redis-master a replica of the new master after %.1f s; load during the failover: %s%n",
                P, promoted, writes, adds, follows, during);
    }

    @Test
    @Order(6)
    void aKill9edBackendTaskIsReplacedBySwarm() throws Exception {
        ensureLoad();
        List<String> before =
                lines(docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_backend"));
        String victim = before.get(0);
        String task = docker("inspect", "-f", "{{index .Config.Labels \"com.docker.swarm.task.name\"}}", victim);
        load.phase("backend-kill");
        long t = System.nanoTime();
        docker("kill", "--signal", "KILL", victim);
        double started = stack.awaitSeconds(
                "a new backend container running",
                Duration.ofSeconds(60),
                () -> {
                    List<String> now = lines(docker(
                            "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_backend"));
                    return now.size() == before.size() && !now.contains(victim);
                },
                t);
        Map<String, Double> ready =
                stack.awaitConverged(Map.of("backend", SCALED, "worker", WORKERS), Duration.ofMinutes(4), t);
        double healthy = secondsSince(t);
        StackLoad.Phase phase = load.phase("after-backend-kill");
        System.out.printf(
                "%s kill -9 of %s: Swarm started a replacement after %.1f s, healthy again after %.1f s (%s);"
                        + " load meanwhile: %s%n",
                P, task.replaceAll("\\.[a-z0-9]{25}$", ""), started, healthy, ready, phase);
    }

    /**
     * Back to the deployed backends, then a rolling update to a new image tag under load: the stack's update_config
     * (parallelism 1, start-first, health-gated) with its delay and monitor shortened on the command line to keep the
     * test short, then an update to an image that exits at once, which the stack's failure_action rolls back by itself.
     */
    @Test
    @Order(7)
    void aRollingUpdateToANewTagAndAnAutomaticRollbackFromABrokenOne() throws Exception {
        ensureLoad();
        String service = STACK + "_backend";
        String base = "advwell/backend:" + DockerEngine.VERSION;
        String next = "advwell/backend:it-next";
        String broken = "advwell/backend:it-broken";
        // a new tag is a new image: one label on top of the tested one; the broken one exits at once
        for (String[] image :
                new String[][] {{next, "LABEL advwell.it=next"}, {broken, "ENTRYPOINT [\"/bin/false\"]"}}) {
            DockerEngine.Result built = DockerEngine.run(
                    Duration.ofMinutes(2),
                    "FROM " + base + "\n" + image[1] + "\n",
                    Map.of("DOCKER_BUILDKIT", "0"),
                    "docker",
                    "build",
                    "-q",
                    "-t",
                    image[0],
                    "-");
            assertThat(built.exit())
                    .as("docker build %s: %s", image[0], built.out())
                    .isZero();
            testImages.add(image[0]);
        }
        long t = System.nanoTime();
        docker("service", "scale", "-d", service + "=" + BACKENDS);
        stack.awaitConverged(Map.of("backend", BACKENDS, "worker", WORKERS), Duration.ofMinutes(2), t);
        load.phase("rolling-update");
        t = System.nanoTime();
        docker("service", "update", "-d", "--image", next, "--update-delay", "0s", "--update-monitor", "10s", service);
        String state = awaitUpdate(service, Set.of("completed"), Duration.ofMinutes(8));
        double rolled = secondsSince(t);
        StackLoad.Phase rolling = load.phase("broken-update");
        System.out.printf(
                "%s rolling update of %d backends to %s (start-first, health-gated, monitor 10 s): %s after"
                        + " %.1f s; load during it: %s%n",
                P, BACKENDS, next, state, rolled, rolling);
        assertThat(state).isEqualTo("completed");
        assertThat(rolling.errors())
                .as("request errors during the rolling update: %s", rolling)
                .isZero();

        t = System.nanoTime();
        docker(
                "service",
                "update",
                "-d",
                "--image",
                broken,
                "--update-delay",
                "0s",
                "--update-monitor",
                "10s",
                service);
        state = awaitUpdate(service, Set.of("rollback_completed", "rollback_paused", "paused"), Duration.ofMinutes(4));
        double rolledBack = secondsSince(t);
        String image = docker("service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", service);
        stack.awaitConverged(Map.of("backend", BACKENDS, "worker", WORKERS), Duration.ofMinutes(3), t);
        StackLoad.Phase brokenPhase = load.phase("after-rollback");
        System.out.printf(
                "%s update to a broken image (exits at once): %s after %.1f s, image back to %s, all %d"
                        + " healthy after %.1f s; load during it: %s%n",
                P, state, rolledBack, image, BACKENDS, secondsSince(t), brokenPhase);
        assertThat(state).isEqualTo("rollback_completed");
        assertThat(image).startsWith(next);
        assertThat(brokenPhase.errors())
                .as("request errors during the broken update and its rollback: %s", brokenPhase)
                .isZero();
    }

    private static String awaitUpdate(String service, Set<String> states, Duration timeout) throws Exception {
        String[] state = {""};
        stack.await("update of " + service + " reaching " + states, timeout, () -> {
            state[0] =
                    docker("service", "inspect", "-f", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}", service);
            return states.contains(state[0]);
        });
        return state[0];
    }

    @Test
    @Order(8)
    void everyAcknowledgedJobIsDelivered() throws Exception {
        ensureLoad();
        // a job running on the killed task is taken over once its lock (QUEUE_LOCK_MS, 30 s) runs out
        Set<String> lost = load.stopAndAwaitDelivery(receiver, Duration.ofSeconds(150), P);
        assertThat(lost).as("acknowledged jobs never delivered").isEmpty();
    }

    // --- tear-down ------------------------------------------------------------------------------------------------

    @AfterAll
    static void down() throws Exception {
        long t = System.nanoTime();
        List<String> problems = new ArrayList<>();
        if (load != null) {
            load.stop();
        }
        if (receiver != null) {
            receiver.close();
        }
        step(problems, "stack rm", SwarmStackIT::removeStack);
        step(problems, "volumes", SwarmStackIT::removeVolumes);
        for (String image : testImages) {
            step(problems, "image " + image, () -> docker("image", "rm", image));
        }
        if (swarmCreated) {
            step(problems, "swarm leave", () -> docker("swarm", "leave", "--force"));
            step(problems, "swarm mark", () -> Files.deleteIfExists(SWARM_MARK));
            // the bridge the engine made for the Swarm stays after leaving it; it was not there before swarm init
            step(problems, "docker_gwbridge", () -> docker("network", "rm", "docker_gwbridge"));
        } else {
            for (String s : secretsCreated) {
                step(problems, "secret " + s, () -> docker("secret", "rm", s));
            }
            if (networkCreated) {
                step(problems, "network", () -> docker("network", "rm", NETWORK));
            }
        }
        System.out.printf(
                "%s teardown %.1f s (stack, volumes%s)%n",
                P, secondsSince(t), swarmCreated ? ", swarm left" : ", secrets");
        if (engine != null) {
            step(problems, "engine", () -> {
                engine.down(P);
                return null;
            });
        }
        System.out.printf("%s SwarmStackIT total %.1f s%n", P, secondsSince(SUITE_START));
        assertThat(problems).as("teardown").isEmpty();
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static void step(List<String> problems, String name, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            problems.add(name + ": " + e.getMessage());
            System.out.println(P + " teardown " + name + " failed: " + e.getMessage());
        }
    }

    private static Object removeStack() throws Exception {
        tryDocker("stack", "rm", STACK); // "Nothing found in stack" when the deploy never happened
        long t = System.nanoTime();
        while (System.nanoTime() - t < 120_000_000_000L) {
            boolean containers = !lines(docker("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + STACK))
                    .isEmpty();
            boolean networks = !lines(
                            docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + STACK))
                    .isEmpty();
            if (!containers && !networks) {
                return null;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("stack " + STACK + " still has containers or networks 120 s after docker stack rm");
    }

    private static Object removeVolumes() throws Exception {
        List<String> volumes =
                lines(docker("volume", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + STACK));
        for (String v : volumes) {
            // a container just removed may hold its volume for a moment
            for (int attempt = 0; ; attempt++) {
                DockerEngine.Result r = tryDocker("volume", "rm", v);
                if (r.exit() == 0) {
                    break;
                }
                if (attempt == 20) {
                    throw new AssertionError("docker volume rm " + v + ": " + r.out());
                }
                Thread.sleep(500);
            }
        }
        return null;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** Active Prometheus targets in health "up", per job, once the expected counts are up (or the timeout). */
    private static Map<String, Integer> awaitTargets(int backends, int workers, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> up = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            up.clear();
            try {
                JsonArray active = prometheus("/api/v1/targets?state=active")
                        .getJsonObject("data")
                        .getJsonArray("activeTargets");
                for (JsonValue v : active) {
                    JsonObject target = v.asJsonObject();
                    if ("up".equals(target.getString("health"))) {
                        up.merge(target.getJsonObject("labels").getString("job"), 1, Integer::sum);
                    }
                }
                if (up.getOrDefault("advwell-backend", 0) == backends
                        && up.getOrDefault("advwell-worker", 0) == workers) {
                    return up;
                }
            } catch (IOException notYet) {
                // Prometheus still starting
            }
            Thread.sleep(1000);
        }
        return up;
    }

    private static JsonObject prometheus(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Prometheus " + path + ": " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    private static void printMemory() throws Exception {
        List<String> stats = lines(docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"));
        Map<String, Double> byService = new TreeMap<>();
        double total = 0;
        for (String line : stats) {
            Matcher m = Pattern.compile(Pattern.quote(STACK) + "_([a-z0-9-]+)\\.\\S* ([\\d.]+)([KMG]i?B) .*")
                    .matcher(line);
            if (m.matches()) {
                double mib = Double.parseDouble(m.group(2))
                        * switch (m.group(3).charAt(0)) {
                            case 'K' -> 1 / 1024.0;
                            case 'G' -> 1024.0;
                            default -> 1.0;
                        };
                byService.merge(m.group(1), mib, Double::sum);
                total += mib;
            }
        }
        Map<String, String> shown = new TreeMap<>();
        byService.forEach((k, v) -> shown.put(k, "%.0f MiB".formatted(v)));
        String available = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemAvailable"))
                .findFirst()
                .orElse("?");
        System.out.printf(
                "%s memory of the stack with %d backends: %.0f MiB in %d containers %s; host %s%n",
                P, SCALED, total, stats.size(), shown, available.replaceAll("\\s+", " "));
    }

    private static void checkConnectionBudget() throws Exception {
        String pg = container("postgres");
        int serverMax = Integer.parseInt(psql(pg, "SHOW max_connections"));
        int expected = (SCALED + WORKERS) * POOL_MAX;
        JsonObject[] capacity = new JsonObject[1];
        stack.await("the capacity guard counting every pool", Duration.ofSeconds(60), () -> {
            capacity[0] = json(stack.send("GET", "/api/cluster/capacity", stack.adminKey, null));
            return capacity[0].getInt("livePoolSum") == expected;
        });
        JsonObject c = capacity[0];
        long fit = c.getJsonArray("members").stream()
                .filter(m -> m.asJsonObject().getBoolean("fits"))
                .count();
        int perReplicaMax = Integer.parseInt(psql(
                pg,
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM"
                        + " pg_stat_activity WHERE application_name LIKE '" + STACK
                        + "_%' GROUP BY application_name) a"));
        int inUse = Integer.parseInt(
                psql(pg, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"));
        System.out.printf(
                "%s GET /api/cluster/capacity: maxConnections %d (%s), PostgreSQL SHOW max_connections %d,"
                        + " reserve %d, limit %d, livePoolSum %d (= %d replicas x %d), headroom %d replicas, %d of %d members"
                        + " fit; pg_stat_activity: %d client connections, at most %d for one replica%n",
                P,
                c.getInt("maxConnections"),
                c.getString("maxConnectionsFrom"),
                serverMax,
                c.getInt("reserve"),
                c.getInt("limit"),
                c.getInt("livePoolSum"),
                SCALED + WORKERS,
                POOL_MAX,
                c.getInt("headroomReplicas"),
                fit,
                c.getJsonArray("members").size(),
                inUse,
                perReplicaMax);
        assertThat(c.getInt("maxConnections")).as("the guard's max_connections").isEqualTo(serverMax);
        assertThat(c.getString("maxConnectionsFrom")).isEqualTo("server");
        assertThat(fit).as("members that fit the budget").isEqualTo(SCALED + WORKERS);
        assertThat(c.getInt("headroomReplicas")).isEqualTo((c.getInt("limit") - expected) / POOL_MAX);
        assertThat(perReplicaMax).as("connections of one replica").isLessThanOrEqualTo(POOL_MAX);
    }

    private static String psql(String container, String sql) throws Exception {
        return docker(
                "exec",
                container,
                "sh",
                "-c",
                "PGPASSWORD=\"$(cat /run/secrets/advwell_db_password)\" psql -h"
                        + " 127.0.0.1 -U advwell -d advwell -Atc \"" + sql.replace("\"", "\\\"") + "\"");
    }

    /** The running container of a single-task service. */
    private static String container(String service) throws Exception {
        List<String> ids =
                lines(docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_" + service));
        assertThat(ids).as("running containers of %s", service).hasSize(1);
        return ids.get(0);
    }

    private static String masterName(String sentinel) {
        try {
            DockerEngine.Result r = tryDocker(
                    "exec", sentinel, "redis-cli", "-p", "26379", "sentinel", "get-master-addr-by-name", "mymaster");
            return r.exit() == 0 ? r.out().lines().findFirst().orElse("").strip() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static String redisInfo(String container) {
        try {
            return tryDocker(
                            "exec",
                            container,
                            "sh",
                            "-c",
                            "redis-cli --no-auth-warning -a"
                                    + " \"$(cat /run/secrets/advwell_redis_password)\" info replication")
                    .out();
        } catch (Exception e) {
            return "";
        }
    }

    private static int status(HttpResponse<String> r) {
        return r.statusCode();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void ensureLoad() {
        if (load == null) {
            assertThat(clientKey).as("client created by the webhook test").isNotNull();
            load = new StackLoad(stack, clientKey, acked, 2);
        }
    }
}
