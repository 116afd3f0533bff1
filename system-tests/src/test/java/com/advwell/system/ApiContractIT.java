package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The API contract against a real replica: one replica started with {@code scripts/replica} (the production entry
 * point) on real PostgreSQL and Redis, with a schema and key prefix of its own. Checks that {@code GET /openapi}
 * serves the hand-maintained document (web-module {@code META-INF/openapi.yaml}), that Redocly's linter finds no error
 * in it, and that {@code contract-tests/fuzz.mjs} sends 10,000 generated requests (valid ones and mutations, with an
 * administrator's, an operator's and a client's key) without a 5xx or a response the document does not allow.
 *
 * <p>Needs Node.js and npm (the test fails without them; {@code scripts/test} installs them), installs
 * {@code contract-tests/node_modules} with {@code npm ci} when it is missing, and the replica WAR built by
 * {@code micro-war}. Run alone: {@code mvn -B -ntp verify -pl system-tests -am -Dit.test=ApiContractIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}, or the scripts by hand (docs/api.md,
 * "API contract"). Until the servlet container's own error pages are problem documents, the fuzzer fails on them
 * (marked {@code [container]} in its report).
 */
@Tag("contract")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ApiContractIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private static Path repo;
    private static Path contract;
    private static Path work;
    private static Process replica;
    private static int port;
    private static String adminKey;
    private static String schema;
    private static String redisPrefix;

    @BeforeAll
    static void startReplica() throws Exception {
        repo = Path.of(System.getProperty("advwell.repo", ".."))
                .toAbsolutePath()
                .normalize();
        contract = repo.resolve("contract-tests");
        work = Path.of(System.getProperty("advwell.it.workdir", "target"))
                .toAbsolutePath()
                .resolve("contract");
        Files.createDirectories(work);
        // a missing Node.js is a failure, not a skip: CI must run the contract check
        assertThat(run(repo, Duration.ofSeconds(30), "node", "--version").exit)
                .as("node must be installed (scripts/test installs it)")
                .isZero();
        assertThat(run(repo, Duration.ofSeconds(30), "npm", "--version").exit)
                .as("npm must be installed (scripts/test installs it)")
                .isZero();
        if (!Files.isDirectory(contract.resolve("node_modules/@redocly/cli"))) {
            Result ci = run(contract, Duration.ofMinutes(10), "npm", "ci", "--no-audit", "--no-fund");
            assertThat(ci.exit).as("npm ci in contract-tests:\n%s", ci.output).isZero();
        }

        SecureRandom random = new SecureRandom();
        String id = HexFormat.of().formatHex(random.generateSeed(5));
        schema = "contract_" + id;
        redisPrefix = "contract-" + id;
        byte[] key = new byte[32];
        random.nextBytes(key);
        adminKey = "contract-admin-" + HexFormat.of().formatHex(key);
        port = freePort();

        ProcessBuilder pb = new ProcessBuilder(
                        repo.resolve("scripts/replica").toString(), "--port", String.valueOf(port))
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("replica.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("INSTANCE_ID", "contract-" + id);
        env.put("DB_SCHEMA", schema);
        env.put("REDIS_KEY_PREFIX", redisPrefix);
        env.put("ADMIN_API_KEY", adminKey);
        env.put("JAVA_HEAP", "768m");
        env.put("PAYARA_ROOTDIR", work.resolve("payara-" + id).toString());
        // no WEBHOOK_SIGNING_SECRET: http jobs are refused, so nothing the fuzzer adds leaves this machine
        env.remove("WEBHOOK_SIGNING_SECRET");
        replica = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (!ready()) {
            if (!replica.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the replica did not become ready; " + tail(work.resolve("replica.log")));
            }
            Thread.sleep(1000);
        }
    }

    @AfterAll
    static void stopReplica() throws Exception {
        if (replica != null) {
            replica.descendants().forEach(ProcessHandle::destroy);
            replica.destroy();
            if (!replica.waitFor(60, TimeUnit.SECONDS)) {
                replica.descendants().forEach(ProcessHandle::destroyForcibly);
                replica.destroyForcibly();
            }
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://127.0.0.1:5432/advwell", "advwell", "advwell");
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(
                            cursor, new ScanParams().match(redisPrefix + ":*").count(1000));
                    if (!page.getResult().isEmpty()) {
                        jedis.del(page.getResult().toArray(String[]::new));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
    }

    @Test
    void theReplicaServesTheHandMaintainedDocumentAndItLintsClean() throws Exception {
        Path served = work.resolve("openapi.json");
        Result compare = run(
                contract,
                Duration.ofMinutes(2),
                "node",
                "served.mjs",
                "--base",
                base(),
                "--source",
                repo.resolve("web-module/src/main/resources/META-INF/openapi.yaml")
                        .toString(),
                "--out",
                served.toString());
        System.out.println(compare.output);
        assertThat(compare.exit)
                .as("GET /openapi is the source document:\n%s", compare.output)
                .isZero();

        Result lint = run(
                contract,
                Duration.ofMinutes(3),
                "node",
                "node_modules/@redocly/cli/bin/cli.js",
                "lint",
                "--config",
                "redocly.yaml",
                "--format",
                "stylish",
                served.toString());
        System.out.println(lint.output);
        assertThat(lint.exit)
                .as("redocly lint of the served document:\n%s", lint.output)
                .isZero();
    }

    @Test
    void tenThousandGeneratedRequestsGetNoServerErrorAndOnlyDocumentedResponses() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "node",
                "fuzz.mjs",
                "--base",
                base(),
                "--admin-key",
                adminKey,
                "--requests",
                "10000",
                "--concurrency",
                "6",
                "--max-seconds",
                "480",
                "--report",
                work.resolve("fuzz-report.json").toString()));
        // the seed comes from the clock; a failure prints it, and -Dadvwell.contract.seed=N replays that run
        String seed = System.getProperty("advwell.contract.seed", "");
        if (!seed.isBlank()) {
            command.addAll(List.of("--seed", seed.strip()));
        }
        Result fuzz = run(contract, Duration.ofMinutes(10), command.toArray(String[]::new));
        System.out.println(fuzz.output);
        assertThat(fuzz.exit)
                .as(
                        "contract fuzzer (report in %s):\n%s",
                        work.resolve("fuzz-report.json"),
                        fuzz.output.length() > 20000 ? fuzz.output.substring(0, 20000) + "..." : fuzz.output)
                .isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String base() {
        return "http://127.0.0.1:" + port;
    }

    private static boolean ready() {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base() + "/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Result(int exit, String output) {}

    /** Runs a command, output and errors together; a command that cannot start or times out has exit -1. */
    private static Result run(Path dir, Duration timeout, String... command) throws Exception {
        Path log = Files.createTempFile(work, "cmd-", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        }
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(done ? p.exitValue() : -1, done ? output : output + "\n(timed out after " + timeout + ")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "no log";
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        return "last lines of " + log + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
