package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code scripts/preflight} against a real local cluster (one replica, Redis, three Sentinels): passes when there is
 * room, fails with the figures when N more replicas would exceed the connection budget, and notices a Sentinel that
 * stopped answering.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreflightClusterIT {

    /** Small, so that the local PostgreSQL's max_connections (often 100) leaves room for one replica. */
    private static final int RESERVE = 10;

    private static LocalCluster cluster;

    record Run(int exit, String output) {}

    @BeforeAll
    static void up() throws Exception {
        cluster = new LocalCluster("preflight-it").bootingQuickly();
        cluster.extraEnv.put("REPLICAS", "1");
        cluster.extraEnv.put("WORKER_REPLICAS", "0");
        cluster.run("up");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Run preflight(String n) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(cluster.repo.resolve("scripts/preflight").toString(), n).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CLUSTER_DIR", cluster.stateDir.toString());
        env.put("HTTP_BASE_PORT", String.valueOf(cluster.httpBase));
        env.put(
                "SENTINEL_PORTS",
                cluster.sentinelPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
        env.put("RESERVE", String.valueOf(RESERVE));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("preflight finishes").isTrue();
        System.out.printf("[preflight %s] exit %d%n%s", n, p.exitValue(), out);
        return new Run(p.exitValue(), out);
    }

    @Test
    @Order(1)
    void passesWhenThereIsRoom() throws Exception {
        Run r = preflight("0");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output)
                .contains("OK    leader       replica-1")
                .containsPattern("OK    connections  live pools 15 \\(1 members\\) \\+ 0 more x 15 = 15 <= \\d+")
                .contains("OK    agreement    all 3 Sentinels name 127.0.0.1:" + cluster.redisMasterPort)
                .contains("OK    quorum")
                .doesNotContain("FAIL");
    }

    @Test
    @Order(2)
    void failsWithTheFiguresWhenNMoreReplicasExceedTheBudget() throws Exception {
        Run r = preflight("1000");
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output)
                .containsPattern("FAIL  connections  live pools 15 \\(1 members\\) \\+ 1000 more x 15 = "
                        + "15015 > \\d+ max_connections - " + RESERVE + " reserve");
        assertThat(r.output.lines().filter(l -> l.startsWith("FAIL")).toList()).hasSize(1);
    }

    @Test
    @Order(3)
    void failsWhenASentinelDoesNotAnswer() throws Exception {
        cluster.run("kill", "sentinel-3", "TERM");
        Run r = preflight("0");
        assertThat(r.exit).isEqualTo(1);
        List<String> failures =
                r.output.lines().filter(l -> l.startsWith("FAIL")).toList();
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0)).startsWith("FAIL  sentinel     127.0.0.1:" + cluster.sentinelPorts.get(2));
        assertThat(failures.get(1)).startsWith("FAIL  agreement    2 of 3 Sentinels answered");
        // two Sentinels still make the quorum (2) and a majority
        assertThat(r.output).contains("OK    quorum");
    }
}
