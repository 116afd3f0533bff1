package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * The replica image as Testcontainers runs it: PostgreSQL, Redis and one replica from the images scripts/swarm builds
 * locally (never pulled: no registry is reachable, and the pull policy below refuses to try), on a network of their
 * own. The replica must become ready, answer an authenticated call, and on SIGTERM drain (not ready, still answering
 * for SHUTDOWN_DRAIN_MS) and then stop by itself well within the stack's grace period. Ryuk is disabled for this JVM (failsafe configuration): its image cannot be pulled either, and
 * the test removes what it started.
 */
@Tag("docker")
class ReplicaImageIT {

    private static final String P = "[docker]";
    /** Never pull: the images exist only locally. */
    private static final ImagePullPolicy NEVER = image -> false;
    /** The stack's stop_grace_period for backend tasks (docker/stack.yml). */
    private static final Duration GRACE = Duration.ofSeconds(40);

    private static DockerEngine engine;
    /** The replica's SHUTDOWN_DRAIN_MS: on SIGTERM it stays up this long, not ready, before Payara stops. */
    private static final Duration DRAIN = Duration.ofSeconds(3);

    private static Network network;
    private static GenericContainer<?> postgres;
    private static GenericContainer<?> redis;
    private static GenericContainer<?> replica;
    /** A base64-like password with the characters asadmin's property syntax splits on (scripts/replica escapes them). */
    private static final String DB_PASSWORD = "tc=" + UUID.randomUUID() + ":a+b/c==";

    private static final String REDIS_PASSWORD = UUID.randomUUID().toString();
    private static final String ADMIN_KEY = UUID.randomUUID().toString().replace("-", "") + "x";

    @BeforeAll
    static void up() throws Exception {
        engine = DockerEngine.up(P);
        network = Network.newNetwork();
        long t = System.nanoTime();
        postgres = new GenericContainer<>(DockerImageName.parse("advwell/postgres:15"))
                .withImagePullPolicy(NEVER)
                .withNetwork(network)
                .withNetworkAliases("postgres")
                .withEnv("POSTGRES_USER", "advwell")
                .withEnv("POSTGRES_DB", "advwell")
                .withEnv("POSTGRES_PASSWORD", DB_PASSWORD)
                .withCommand("postgres", "-c", "max_connections=100")
                .waitingFor(Wait.forLogMessage(".*ready to accept connections.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        redis = new GenericContainer<>(DockerImageName.parse("advwell/redis:bookworm"))
                .withImagePullPolicy(NEVER)
                .withNetwork(network)
                .withNetworkAliases("redis")
                .withCommand("redis-server", "--requirepass", REDIS_PASSWORD)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(1)));
        postgres.start();
        redis.start();
        System.out.printf("%s PostgreSQL and Redis containers ready in %.1f s%n", P, (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        replica = new GenericContainer<>(DockerImageName.parse("advwell/backend:" + DockerEngine.VERSION))
                .withImagePullPolicy(NEVER)
                .withNetwork(network)
                .withExposedPorts(8080)
                .withEnv("INSTANCE_ID", "tc-replica")
                .withEnv("DB_HOST", "postgres")
                .withEnv("DB_NAME", "advwell")
                .withEnv("DB_USER", "advwell")
                .withEnv("DB_PASSWORD", DB_PASSWORD)
                .withEnv("REDIS_HOST", "redis")
                .withEnv("REDIS_PASSWORD", REDIS_PASSWORD)
                .withEnv("ADMIN_API_KEY", ADMIN_KEY)
                .withEnv("SHUTDOWN_GRACE_MS", "20000")
                .withEnv("SHUTDOWN_DRAIN_MS", Long.toString(DRAIN.toMillis()))
                // the stack's limit: heap 65 % of it
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(2L << 30))
                .waitingFor(Wait.forHttp("/health/ready")
                        .forPort(8080)
                        .forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(4)));
        replica.start();
        System.out.printf(
                "%s replica container (advwell/backend:%s) ready in %.1f s%n",
                P, DockerEngine.VERSION, (System.nanoTime() - t) / 1e9);
    }

    @AfterAll
    static void down() throws Exception {
        // GenericContainer.stop() kills and removes; the replica has been stopped by the test already
        for (GenericContainer<?> c : new GenericContainer<?>[] {replica, redis, postgres}) {
            if (c != null) {
                c.stop();
            }
        }
        if (network != null) {
            network.close();
        }
        if (engine != null) {
            engine.down(P);
        }
    }

    @Test
    void theReplicaAnswersAndStopsCleanlyOnSigterm() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://" + replica.getHost() + ":" + replica.getMappedPort(8080);
        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> me = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/me"))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/me")).build(), HttpResponse.BodyHandlers.ofString());
        System.out.printf(
                "%s /health/ready %d; /api/me with the admin key %d %s; without a key %d%n",
                P, ready.statusCode(), me.statusCode(), me.body(), anonymous.statusCode());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("admin");
        assertThat(anonymous.statusCode()).isEqualTo(401);

        DockerClient docker = replica.getDockerClient();
        String id = replica.getContainerId();
        long t = System.nanoTime();
        // what docker stop sends first (the image's STOPSIGNAL); docker stop would send SIGKILL after the grace period
        docker.killContainerCmd(id).withSignal("TERM").exec();
        // while it drains: not ready (so load balancers move away), yet every request is still answered
        HttpResponse<String> draining = http.send(
                HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> meDraining = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/me"))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double drainingAt = (System.nanoTime() - t) / 1e9;
        InspectContainerResponse.ContainerState state =
                docker.inspectContainerCmd(id).exec().getState();
        while (state.getRunning() && System.nanoTime() - t < GRACE.toNanos()) {
            Thread.sleep(100);
            state = docker.inspectContainerCmd(id).exec().getState();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        String tail = replica.getLogs().lines().reduce((a, b) -> b).orElse("");
        System.out.printf(
                "%s SIGTERM with SHUTDOWN_DRAIN_MS=%d: %.1f s later /health/ready %d, /api/me %d; exited in"
                        + " %.1f s with code %d, OOM-killed %s; last log line: %s%n",
                P,
                DRAIN.toMillis(),
                drainingAt,
                draining.statusCode(),
                meDraining.statusCode(),
                seconds,
                state.getExitCodeLong(),
                state.getOOMKilled(),
                tail);
        assertThat(drainingAt).as("the checks ran within the drain").isLessThan(DRAIN.toSeconds());
        assertThat(draining.statusCode())
                .as("readiness while draining: %s", draining.body())
                .isEqualTo(503);
        assertThat(draining.body()).contains("draining");
        assertThat(meDraining.statusCode())
                .as("a request while draining: %s", meDraining.body())
                .isEqualTo(200);
        assertThat(seconds)
                .as("seconds to stop: the drain, then Payara's own stop")
                .isGreaterThanOrEqualTo(DRAIN.toSeconds());
        assertThat(state.getRunning()).isFalse();
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal; 137 would be the SIGKILL
        assertThat(state.getExitCodeLong()).as("exit code").isIn(0L, 143L);
        assertThat(seconds).as("seconds to stop on SIGTERM").isLessThan(GRACE.toSeconds() / 2.0);
    }
}
