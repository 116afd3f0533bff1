package com.advwell.system;

import static com.advwell.system.DockerEngine.lines;
import static com.advwell.system.SwarmStack.secondsSince;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several VPSs, simulated: a manager and three worker "VPSs", each a container running its own Docker engine
 * ({@code scripts/swarm vps-up}), joined into a Swarm with the commands of docs/operations.md, read from the document
 * and run where it says (on the manager, or on the new VPS). The stack is deployed with the runbook's command for
 * kernels without IPVS; backend tasks spread over the nodes; the worker service is pinned to a labelled VPS as the
 * runbook shows; then a VPS running a backend is removed the runbook's way (drain, leave, node rm) under a steady API
 * and job load: its tasks move, the API answers throughout, and every acknowledged job is delivered. Prints what it
 * measures with the prefix {@code [vps]}; removes the VPSs at the end. This machine's own engine and Swarm state are
 * left as they were.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmNodesIT {

    private static final String P = "[vps]";
    /** The runbook's stack name: its commands name advwell_backend and advwell_worker. */
    private static final String STACK = "advwell";

    private static final int VPS = 3;
    private static final String MANAGER_IP = "172.30.0.10";
    /** The host's address on the VPS bridge (scripts/swarm's 172.30.0.0/24), where the tasks reach the receiver. */
    private static final String HOST_IP = "172.30.0.1";

    private static final int BACKENDS = 3;
    private static final int WORKERS = 1;
    private static final String MANAGER = "advwell-vps-0";
    /** The VPS labelled for the worker service ("Dedicated workers"). */
    private static final String WORKER_VPS = "advwell-vps-" + VPS;

    private static final long SUITE_START = System.nanoTime();

    private static DockerEngine engine;
    private static Runbook runbook;
    private static SwarmStack stack;
    /** The VPSs in the Swarm (the manager first); the removed one leaves this list. */
    private static final List<String> nodes = new CopyOnWriteArrayList<>();

    private static final Map<String, String> nodeIds = new TreeMap<>();
    private static WebhookReceiver receiver;
    private static StackLoad load;
    private static final Set<String> acked = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void up() throws Exception {
        engine = DockerEngine.up(P);
        runbook = Runbook.operations();
        Docker manager = Docker.host(MANAGER, "tcp://" + MANAGER_IP + ":2375");
        stack = new SwarmStack(
                P,
                manager,
                () -> nodes.stream()
                        .map(n -> n.equals(MANAGER) ? manager : Docker.inside(n))
                        .toList(),
                STACK,
                URI.create("http://" + MANAGER_IP + ":8080"));
        // a clean start: VPSs left by an interrupted run are removed with their Swarm
        DockerEngine.swarmScript("vps-down");
        long t = System.nanoTime();
        DockerEngine.printFigures(
                P, DockerEngine.swarmScript("vps-up", String.valueOf(VPS)).out());
        System.out.printf("%s scripts/swarm vps-up %d: %.1f s%n", P, VPS, secondsSince(t));
        nodes.add(MANAGER);
        try {
            formTheSwarmAsTheRunbookSays(manager);
            manager.shell(runbook.command("First deployment", "docker network create"));
            stack.createSecretsAsTheRunbookSays();
            receiver = new WebhookReceiver();
            stack.receiverBase = "http://" + HOST_IP + ":" + receiver.port();
            deploy(manager);
        } catch (Throwable e) {
            stack.diagnose();
            throw e;
        }
    }

    /**
     * "First deployment" (swarm init on the manager), then "Adding a worker VPS": the join token on the manager, the
     * join command it prints run on each new VPS, {@code docker node ls} on the manager.
     */
    private static void formTheSwarmAsTheRunbookSays(Docker manager) throws Exception {
        long t = System.nanoTime();
        run(manager, Runbook.fill(runbook.command("First deployment", "docker swarm init"), "MANAGER_IP", MANAGER_IP));
        String section = "Adding a worker VPS";
        String printed = run(manager, runbook.command(section, "docker swarm join-token worker"));
        // the runbook shows the command the manager prints: docker swarm join --token SWMTKN-1-... <MANAGER_IP>:2377
        String template = runbook.command(section, "docker swarm join --token");
        Pattern shape = Pattern.compile(
                Pattern.quote(template).replace("SWMTKN-1-...", "\\E\\S+\\Q").replace("<MANAGER_IP>", MANAGER_IP));
        String join = printed.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("docker swarm join"))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("docker swarm join-token worker printed no join command:\n" + printed));
        assertThat(join)
                .as("the join command the manager printed, against the runbook's")
                .matches(shape);
        for (int i = 1; i <= VPS; i++) {
            String vps = "advwell-vps-" + i;
            run(Docker.inside(vps), join);
            nodes.add(vps);
        }
        stack.await("every VPS Ready and Active in docker node ls", Duration.ofSeconds(60), () -> {
            List<String> ls = lines(run(manager, runbook.command(section, "docker node ls")));
            return ls.stream()
                            .filter(l -> l.contains("Ready") && l.contains("Active"))
                            .count()
                    == VPS + 1;
        });
        for (String l : lines(manager.run("node", "ls", "--format", "{{.Hostname}} {{.ID}}"))) {
            String[] f = l.split(" ");
            nodeIds.put(f[0], f[1]);
        }
        System.out.printf(
                "%s Swarm of %d VPSs formed with the runbook's commands (swarm init, join-token worker, join on"
                        + " each VPS, node ls) in %.1f s: %s%n",
                P, VPS + 1, secondsSince(t), nodeIds.keySet());
    }

    private static void deploy(Docker manager) throws Exception {
        // "Dedicated workers": label a VPS for the workers (the constraint is added once the service exists)
        run(
                manager,
                Runbook.fill(
                        runbook.command("Dedicated workers", "docker node update --label-add"),
                        "NODE_ID",
                        nodeIds.get(WORKER_VPS)));
        Path dir = Path.of(System.getProperty("advwell.it.workdir", "target")).resolve("swarm-nodes-it");
        Files.createDirectories(dir);
        Path override = dir.resolve("stack.it.yml");
        Files.writeString(override, """
                # Written by SwarmNodesIT for one run, deployed after docker/stack.yml and docker/stack.local.yml.
                services:
                  backend:
                    environment:
                      # the test's webhook receiver: the host's address on the VPSs' bridge, private, so allowed here
                      WEBHOOK_ALLOWED_DESTINATIONS: "%1$s/32"
                    deploy:
                      # %2$d backends and %3$d worker: four Payara boots share this machine's cores; every VPS is a
                      # container on it, so the stack's half-core reservation per replica would leave tasks pending
                      replicas: %2$d
                      resources:
                        reservations: {cpus: "0.1"}
                    healthcheck:
                      start_period: 600s
                  worker:
                    environment:
                      WEBHOOK_ALLOWED_DESTINATIONS: "%1$s/32"
                    deploy:
                      replicas: %3$d
                      resources:
                        reservations: {cpus: "0.1"}
                    healthcheck:
                      start_period: 600s
                """.formatted(HOST_IP, BACKENDS, WORKERS));
        // the runbook's deploy command for kernels without IPVS, with the test's override added before the stack name
        String command = runbook.command("Kernels without IPVS", "docker stack deploy");
        assertThat(command).endsWith(" " + STACK);
        command = command.substring(0, command.length() - STACK.length()) + "-c " + override + " " + STACK;
        long t = System.nanoTime();
        DockerEngine.Result r = DockerEngine.run(
                Duration.ofMinutes(3),
                null,
                Map.of("ADVWELL_VERSION", DockerEngine.VERSION, "DOCKER_HOST", "tcp://" + MANAGER_IP + ":2375"),
                "bash",
                "-c",
                command);
        assertThat(r.exit()).as("%s:\n%s", command, r.out()).isZero();
        // the update waits until the worker runs where the constraint puts it: on a loaded machine, a replica
        // starting on a VPS whose neighbours still boot theirs took over 3 minutes; the convergence bound below is 10
        String update = runbook.command("Dedicated workers", "docker service update --constraint-add");
        DockerEngine.Result updated = manager.shell(update, Duration.ofMinutes(8));
        assertThat(updated.exit())
                .as("on %s: %s\n%s", manager.name(), update, updated.out())
                .isZero();
        Map<String, Double> ready =
                stack.awaitConverged(Map.of("backend", BACKENDS, "worker", WORKERS), Duration.ofMinutes(10), t);
        System.out.printf(
                "%s %s (+ the test's override) on %d VPSs, worker constraint added: converged after %.1f s" + " (%s)%n",
                P, command.replace(override.toString(), "stack.it.yml"), VPS + 1, secondsSince(t), ready);
    }

    // --- the tests ------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void backendTasksSpreadOverTheVpssAndWorkersRunOnTheLabelledOne() throws Exception {
        Map<String, String> backends = stack.placement("backend");
        Map<String, String> workers = stack.placement("worker");
        JsonObject view = stack.clusterView();
        System.out.printf(
                "%s placement: backend %s; worker %s; members %d, leader %s%n",
                P,
                backends,
                workers,
                view == null ? -1 : view.getJsonArray("members").size(),
                view == null ? "?" : view.get("leader"));
        assertThat(Set.copyOf(backends.values()))
                .as("nodes running a backend (spread: node.id)")
                .hasSize(BACKENDS);
        assertThat(Set.copyOf(workers.values()))
                .as("nodes running a worker (label constraint)")
                .containsExactly(WORKER_VPS);
        assertThat(view).as("GET /api/cluster through the manager's edge").isNotNull();
        assertThat(view.getJsonArray("members")).hasSize(BACKENDS + WORKERS);
        assertThat(view.isNull("leader")).as("a leader").isFalse();
    }

    @Test
    @Order(2)
    void removingAVpsTheRunbookWayMovesItsTasksUnderLoadWithoutErrors() throws Exception {
        SwarmStack.Client client = stack.createClient("vps-it");
        load = new StackLoad(stack, client.key(), acked, 2);
        Thread.sleep(5000);
        // a VPS that runs a backend and is neither the manager nor the workers' VPS
        String victim = stack.placement("backend").values().stream()
                .filter(n -> !n.equals(MANAGER) && !n.equals(WORKER_VPS))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no backend on a plain worker VPS"));
        String nodeId = nodeIds.get(victim);
        Docker manager = stack.manager;
        String section = "Removing a node";
        List<String> commands = runbook.commands(section);
        assertThat(commands).as("the runbook's commands to remove a node").hasSize(4);
        List<String> onVictim =
                lines(manager.run("node", "ps", nodeId, "--filter", "desired-state=running", "--format", "{{.Name}}"));
        StackLoad.Phase before = load.phase("drain");
        System.out.printf("%s %s runs %s; load before the drain: %s%n", P, victim, onVictim, before);

        long t = System.nanoTime();
        run(manager, Runbook.fill(commands.get(0), "NODE_ID", nodeId)); // drain, on the manager
        nodes.remove(victim); // healthy containers are counted on the other VPSs from now on
        String watch = commands.get(1); // docker service ps advwell_backend, until nothing runs on the node
        assertThat(watch).startsWith("docker service ps");
        double moved = stack.awaitSeconds(
                "no task running on " + victim,
                Duration.ofMinutes(2),
                () -> !run(manager, watch + " --filter desired-state=running --format '{{.Node}}'")
                        .contains(victim),
                t);
        Map<String, Double> ready =
                stack.awaitConverged(Map.of("backend", BACKENDS, "worker", WORKERS), Duration.ofMinutes(6), t);
        double healthy = secondsSince(t);
        StackLoad.Phase during = load.phase("leave");

        long l = System.nanoTime();
        run(Docker.inside(victim), commands.get(2)); // docker swarm leave, on the node being removed
        String rm = Runbook.fill(commands.get(3), "NODE_ID", nodeId); // docker node rm, on the manager
        // the manager accepts the removal once it sees the node Down, a few seconds after the leave
        double removed = stack.awaitSeconds(
                "docker node rm " + victim,
                Duration.ofSeconds(90),
                () -> manager.shell(rm).exit() == 0,
                l);
        StackLoad.Phase after = load.phase("after-removal");
        System.out.printf(
                "%s drain of %s (the runbook's 4 commands): no task running on it after %.1f s, the stack"
                        + " healthy again on the other VPSs after %.1f s (%s); docker swarm leave + docker node rm %.1f s later;"
                        + " placement now %s; load during the drain: %s; during leave and rm: %s%n",
                P, victim, moved, healthy, ready, removed, stack.placement("backend"), during, after);
        assertThat(lines(manager.run("node", "ls", "--format", "{{.Hostname}}")))
                .doesNotContain(victim);
        assertThat(stack.placement("backend").values()).doesNotContain(victim);
        assertThat(during.errors())
                .as("request errors through the edge while the VPS drained: %s", during)
                .isZero();
        assertThat(after.errors())
                .as("request errors while it left the Swarm: %s", after)
                .isZero();
    }

    @Test
    @Order(3)
    void everyAcknowledgedJobIsDelivered() throws Exception {
        assertThat(load).as("load started by the removal test").isNotNull();
        Set<String> lost = load.stopAndAwaitDelivery(receiver, Duration.ofSeconds(120), P);
        assertThat(acked).as("jobs acknowledged under load").isNotEmpty();
        assertThat(lost).as("acknowledged jobs never delivered").isEmpty();
        assertThat(receiver.unsigned.get())
                .as("deliveries without a webhook-signature")
                .isZero();
    }

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
        try {
            // the Swarm lives inside the VPSs: removing them removes it, its stack and its volumes
            DockerEngine.printFigures(P, DockerEngine.swarmScript("vps-down").out());
        } catch (Throwable e) {
            problems.add("vps-down: " + e.getMessage());
        }
        System.out.printf(
                "%s teardown %.1f s; SwarmNodesIT total %.1f s%n", P, secondsSince(t), secondsSince(SUITE_START));
        if (engine != null) {
            engine.down(P);
        }
        assertThat(problems).as("teardown").isEmpty();
    }

    /** A runbook command on the manager or a VPS, which must succeed; its output. */
    private static String run(Docker where, String command) throws Exception {
        DockerEngine.Result r = where.shell(command);
        assertThat(r.exit()).as("on %s: %s\n%s", where.name(), command, r.out()).isZero();
        return r.out();
    }
}
