package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Deploys the release EAR ({@code ear/target/advwell.ear}) once on a full Payara Server in a fresh, throw-away domain,
 * with the JDBC pool and the PostgreSQL driver provided by the server the way an operator would set them up, and
 * checks readiness and one authenticated REST call.
 *
 * <p>Needs PostgreSQL (role/database {@code advwell}) on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. The server, the
 * EAR and the driver come from system properties set by failsafe (see this module's pom). The test uses its own
 * PostgreSQL schema and Redis key prefix and removes both afterwards.
 */
class EarOnPayaraServerIT {

    private static final String DOMAIN = "advwell-it";
    private static final String POOL = "advwell-pool";
    private static final String DB_HOST = "127.0.0.1";
    private static final int DB_PORT = 5432;
    private static final String DB_NAME = "advwell";
    private static final String DB_USER = "advwell";
    private static final String DB_PASSWORD = "advwell";
    private static final String REDIS_HOST = "127.0.0.1";
    private static final int REDIS_PORT = 6379;

    /** Ports other engineers' Payara Micro replicas may use on this machine; the port base never overlaps them. */
    private static final int[][] RESERVED_PORTS = {{8081, 8083}, {18081, 18081}, {28081, 28090}};

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Everything in {@link #deployEar()} together; keeps the whole class well under five minutes. */
    private static final Duration SETUP_BUDGET = Duration.ofSeconds(420);

    private static final SecureRandom RANDOM = new SecureRandom();

    private static Path payaraHome;
    private static Path asadmin;
    private static Path ear;
    private static Path driverJar;
    private static Path runDir;
    private static Path domainsDir;
    private static Path domainDir;
    private static Path logDir;
    private static int httpPort;
    private static int adminPort;
    private static String schema;
    private static String redisPrefix;
    private static String adminKey;
    private static HttpClient http;
    private static boolean domainCreated;
    private static boolean serverLogPrinted;
    private static boolean anyFailure;
    private static int commandCount;

    @RegisterExtension
    static final TestWatcher PRINT_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            anyFailure = true;
            printServerLogTail("test " + context.getDisplayName() + " failed");
        }
    };

    @BeforeAll
    @Timeout(value = 430, unit = TimeUnit.SECONDS)
    static void deployEar() throws Exception {
        long deadline = System.nanoTime() + SETUP_BUDGET.toNanos();
        payaraHome = Path.of(requiredProperty("payara.home"));
        ear = Path.of(requiredProperty("advwell.ear"));
        driverJar = Path.of(requiredProperty("postgresql.jar"));
        Path workDir = Path.of(System.getProperty("advwell.it.workdir", "target"));
        asadmin = payaraHome.resolve("bin/asadmin");
        assertThat(asadmin).as("asadmin of the unpacked Payara Server").isRegularFile();
        assertThat(ear).as("the EAR; build it first: mvn -DskipTests package").isRegularFile();
        assertThat(driverJar)
                .as("the PostgreSQL driver copied by maven-dependency-plugin")
                .isRegularFile();
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));

        String runId = hex(4);
        runDir = workDir.resolve("payara-domains").resolve("run-" + runId).toAbsolutePath();
        domainsDir = runDir.resolve("domains");
        domainDir = domainsDir.resolve(DOMAIN);
        logDir = runDir.resolve("asadmin-output");
        Files.createDirectories(logDir);
        Files.createDirectories(runDir.resolve("asadmin-home"));
        schema = "ear_it_" + runId;
        redisPrefix = "ear-it-" + runId;
        byte[] keyBytes = new byte[32];
        RANDOM.nextBytes(keyBytes);
        adminKey = "aw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(keyBytes);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        try {
            int portBase = freePortBase();
            httpPort = portBase + 80;
            adminPort = portBase + 48;
            System.out.printf(
                    "EarOnPayaraServerIT: domain %s (port base %d: http %d, admin %d), schema %s, "
                            + "Redis prefix %s%n",
                    domainDir, portBase, httpPort, adminPort, schema, redisPrefix);

            long t0 = System.nanoTime();
            asadminLocal(
                    deadline,
                    Duration.ofSeconds(60),
                    Map.of(),
                    "create-domain",
                    "--nopassword",
                    "--portbase",
                    String.valueOf(portBase),
                    "--domaindir",
                    domainsDir.toString(),
                    DOMAIN);
            domainCreated = true;
            // the driver is a server library: the pool is created by the server, before and outside the application
            Files.createDirectories(domainDir.resolve("lib"));
            Files.copy(driverJar, domainDir.resolve("lib/postgresql.jar"), StandardCopyOption.REPLACE_EXISTING);
            keepServerTempFilesInDomain();
            long tCreated = System.nanoTime();

            // The server JVM is forked by the asadmin process and inherits its environment, which is where
            // MicroProfile Config finds these (as it would under Docker or systemd).
            Map<String, String> appEnv = new LinkedHashMap<>();
            appEnv.put("DB_SCHEMA", schema);
            appEnv.put("REDIS_HOST", REDIS_HOST);
            appEnv.put("REDIS_PORT", String.valueOf(REDIS_PORT));
            appEnv.put("REDIS_KEY_PREFIX", redisPrefix);
            appEnv.put("ADMIN_API_KEY", adminKey);
            appEnv.put("INSTANCE_ID", "ear-it");
            asadminLocal(
                    deadline,
                    Duration.ofSeconds(150),
                    appEnv,
                    "start-domain",
                    "--domaindir",
                    domainsDir.toString(),
                    DOMAIN);
            long tStarted = System.nanoTime();
            ensureServerSees(appEnv, deadline);

            asadminRemote(
                    deadline,
                    Duration.ofSeconds(60),
                    "create-jdbc-connection-pool",
                    "--datasourceclassname=org.postgresql.ds.PGSimpleDataSource",
                    "--restype=javax.sql.DataSource",
                    "--steadypoolsize=1",
                    "--maxpoolsize=15",
                    "--poolresize=1",
                    "--maxwait=10000",
                    "--idletimeout=300",
                    "--isconnectvalidatereq=true",
                    "--validationmethod=custom-validation",
                    "--validationclassname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
                    "--failconnection=true",
                    "--property",
                    properties(Map.of(
                            "serverName",
                            DB_HOST,
                            "portNumber",
                            String.valueOf(DB_PORT),
                            "databaseName",
                            DB_NAME,
                            "user",
                            DB_USER,
                            "password",
                            DB_PASSWORD,
                            "currentSchema",
                            schema,
                            "ApplicationName",
                            "ear-it",
                            "connectTimeout",
                            "5",
                            "socketTimeout",
                            "60",
                            "tcpKeepAlive",
                            "true")),
                    POOL);
            asadminRemote(
                    deadline,
                    Duration.ofSeconds(60),
                    "create-jdbc-resource",
                    "--connectionpoolid=" + POOL,
                    "jdbc/advwell");
            asadminRemote(deadline, Duration.ofSeconds(60), "ping-connection-pool", POOL);
            long tConfigured = System.nanoTime();

            // a private copy, so a concurrent rebuild of ear/target cannot change the archive mid-deployment;
            // application.xml sets the web module's context root to "/"
            Path deployed = Files.copy(ear, runDir.resolve("advwell.ear"), StandardCopyOption.REPLACE_EXISTING);
            asadminRemote(deadline, Duration.ofSeconds(180), "deploy", "--name", "advwell", deployed.toString());
            long tDeployed = System.nanoTime();

            String ready = awaitReady(deadline);
            long tReady = System.nanoTime();
            System.out.printf(
                    "EarOnPayaraServerIT timings: create-domain %d ms, start-domain %d ms, "
                            + "pool+resource %d ms, deploy %d ms, deploy->ready %d ms, start-domain->ready %d ms, "
                            + "total %d ms%n",
                    ms(tCreated - t0),
                    ms(tStarted - tCreated),
                    ms(tConfigured - tStarted),
                    ms(tDeployed - tConfigured),
                    ms(tReady - tDeployed),
                    ms(tReady - tCreated),
                    ms(tReady - t0));
            System.out.println("EarOnPayaraServerIT: /health/ready -> " + ready);
        } catch (Throwable e) {
            anyFailure = true;
            printServerLogTail("setup failed: " + e);
            throw e;
        }
    }

    @AfterAll
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    static void tearDown() {
        if (domainCreated) {
            stopServer();
        }
        dropSchema();
        deleteRedisKeys();
        if (runDir != null) {
            if (anyFailure || Boolean.getBoolean("advwell.it.keepDomain")) {
                System.out.println("EarOnPayaraServerIT: kept the domain for diagnosis: " + runDir);
            } else {
                deleteRecursively(runDir);
            }
        }
    }

    @Test
    void readinessIsUp() throws Exception {
        HttpResponse<String> r = get("/health/ready", null);
        assertThat(r.statusCode()).as("/health/ready: %s", r.body()).isEqualTo(200);
        assertThat(json(r.body()).getString("status")).isEqualTo("UP");
    }

    @Test
    void adminKeyAuthenticatesAsAdmin() throws Exception {
        HttpResponse<String> r = get("/api/me", "Bearer " + adminKey);
        assertThat(r.statusCode())
                .as("GET /api/me with the admin key: %s", r.body())
                .isEqualTo(200);
        assertThat(json(r.body()).getString("role")).isEqualTo("admin");
    }

    @Test
    void missingCredentialsAreA401Problem() throws Exception {
        HttpResponse<String> r = get("/api/me", null);
        assertThat(r.statusCode())
                .as("GET /api/me without credentials: %s", r.body())
                .isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse("(none)")).startsWith("application/problem+json");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json, application/problem+json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    private static String awaitReady(long setupDeadline) throws Exception {
        long deadline = Math.min(setupDeadline, System.nanoTime() + READY_TIMEOUT.toNanos());
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("/health/ready did not answer 200 within the time limit; last answer: " + last);
    }

    /** Checks that the server JVM inherited the environment; otherwise sets the values as system properties. */
    private static void ensureServerSees(Map<String, String> appEnv, long deadline) throws Exception {
        Optional<Map<String, String>> env = serverPid().flatMap(EarOnPayaraServerIT::environmentOf);
        if (env.isEmpty()) {
            System.out.println("EarOnPayaraServerIT: cannot read the server's environment (no /proc?); "
                    + "assuming it inherited asadmin's");
            return;
        }
        List<String> missing = new ArrayList<>();
        appEnv.forEach((k, v) -> {
            if (!v.equals(env.get().get(k))) {
                missing.add(k);
            }
        });
        if (missing.isEmpty()) {
            System.out.println("EarOnPayaraServerIT: the server JVM inherited " + appEnv.keySet());
            return;
        }
        // Fallback: MicroProfile Config also reads system properties. Note that this puts the (throw-away) admin key
        // on an asadmin command line and into domain.xml.
        System.out.println("EarOnPayaraServerIT: the server JVM lacks " + missing
                + " in its environment; setting them as system properties");
        Map<String, String> props = new LinkedHashMap<>();
        missing.forEach(k -> props.put(k, appEnv.get(k)));
        asadminRemote(deadline, Duration.ofSeconds(60), "create-system-properties", properties(props));
    }

    private static Optional<Long> serverPid() {
        try {
            Path pidFile = domainDir.resolve("config/pid");
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Map<String, String>> environmentOf(long pid) {
        Path environ = Path.of("/proc", String.valueOf(pid), "environ");
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return Optional.of(env);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Server-side temporary files (uploads, exploded archives) stay inside the throw-away domain, not in /tmp. */
    private static void keepServerTempFilesInDomain() throws IOException {
        Path domainXml = domainDir.resolve("config/domain.xml");
        Path tmp = Files.createDirectories(domainDir.resolve("tmp"));
        String xml = Files.readString(domainXml);
        String marker = "<java-config";
        int at = xml.indexOf(marker); // the first java-config is server-config's, the DAS's
        if (at < 0) {
            return;
        }
        int end = xml.indexOf('>', at) + 1;
        String option = "\n        <jvm-options>-Djava.io.tmpdir=" + tmp + "</jvm-options>";
        Files.writeString(domainXml, xml.substring(0, end) + option + xml.substring(end));
    }

    /** asadmin's {@code name=value:name=value} syntax, with ':' and '\' in values escaped. */
    private static String properties(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(k).append('=').append(v.replace("\\", "\\\\").replace(":", "\\:"));
        });
        return sb.toString();
    }

    private static String asadminRemote(long deadline, Duration timeout, String... args) throws Exception {
        List<String> all = new ArrayList<>(
                List.of("--host", "127.0.0.1", "--port", String.valueOf(adminPort), "--interactive=false"));
        all.addAll(List.of(args));
        return asadmin(deadline, timeout, Map.of(), args[0], all);
    }

    private static String asadminLocal(long deadline, Duration timeout, Map<String, String> env, String... args)
            throws Exception {
        List<String> all = new ArrayList<>(List.of("--interactive=false"));
        all.addAll(List.of(args));
        return asadmin(deadline, timeout, env, args[0], all);
    }

    /** Runs asadmin with its output in a file (a pipe would be held open by the server that start-domain forks). */
    private static String asadmin(
            long deadline, Duration timeout, Map<String, String> env, String command, List<String> args)
            throws Exception {
        Path out = logDir.resolve(String.format(Locale.ROOT, "%02d-%s.log", ++commandCount, command));
        List<String> cmd = new ArrayList<>();
        cmd.add(asadmin.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putIfAbsent("AS_JAVA", System.getProperty("java.home"));
        // asadmin keeps logins and a command cache in ~/.gfclient: keep them in the run directory instead; the
        // client (not the server) is short-lived, so C1 only starts it faster
        pb.environment()
                .put(
                        "AS_EXTRA_JAVA_OPTS",
                        "-Duser.home=" + runDir.resolve("asadmin-home") + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        pb.environment().putAll(env);
        long remaining = Math.min(timeout.toNanos(), deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new AssertionError("no time left for asadmin " + command);
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                throw new AssertionError("asadmin " + command + " did not finish within "
                        + Duration.ofNanos(remaining).toSeconds() + " s; output:\n" + readQuietly(out));
            }
        } finally {
            if (p.isAlive()) { // timed out or interrupted: take down asadmin and whatever it started (a server)
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        String output = readQuietly(out);
        System.out.printf(
                "EarOnPayaraServerIT: asadmin %s -> exit %d in %d ms%n",
                command, p.exitValue(), ms(System.nanoTime() - t0));
        if (p.exitValue() != 0) {
            throw new AssertionError("asadmin " + command + " failed with exit code " + p.exitValue() + ":\n" + output);
        }
        return output;
    }

    private static void stopServer() {
        Optional<Long> pid = serverPid();
        try {
            asadminLocal(
                    System.nanoTime() + Duration.ofSeconds(25).toNanos(),
                    Duration.ofSeconds(25),
                    Map.of(),
                    "stop-domain",
                    "--domaindir",
                    domainsDir.toString(),
                    DOMAIN);
        } catch (Throwable e) {
            System.out.println("EarOnPayaraServerIT: stop-domain failed: " + e.getMessage());
        }
        // always make sure the server is gone, whatever stop-domain said
        pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(h -> {
            try {
                h.onExit().get(3, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // still alive
            }
            if (h.isAlive()) {
                System.out.println("EarOnPayaraServerIT: killing server process " + h.pid());
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.out.println("EarOnPayaraServerIT: server process " + h.pid() + " did not exit: " + e);
                }
            }
        });
    }

    private static void dropSchema() {
        if (schema == null) {
            return;
        }
        String url =
                "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + DB_NAME + "?connectTimeout=5&socketTimeout=30";
        try (Connection c = DriverManager.getConnection(url, DB_USER, DB_PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '5s'");
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            System.out.println("EarOnPayaraServerIT: could not drop schema " + schema + ": " + e);
        }
    }

    private static void deleteRedisKeys() {
        if (redisPrefix == null) {
            return;
        }
        try (Jedis jedis = new Jedis(REDIS_HOST, REDIS_PORT, 2000)) {
            ScanParams params = new ScanParams().match(redisPrefix + ":*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            int deleted = 0;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                if (!page.getResult().isEmpty()) {
                    deleted += (int) jedis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            System.out.println("EarOnPayaraServerIT: deleted " + deleted + " Redis keys with prefix " + redisPrefix);
        } catch (Exception e) {
            System.out.println("EarOnPayaraServerIT: could not delete Redis keys " + redisPrefix + ":*: " + e);
        }
    }

    private static void printServerLogTail(String why) {
        if (serverLogPrinted || domainDir == null) {
            return;
        }
        serverLogPrinted = true;
        Path log = domainDir.resolve("logs/server.log");
        System.out.println("EarOnPayaraServerIT: " + why + "; last 80 lines of " + log + ":");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
        } catch (Exception e) {
            System.out.println("(cannot read it: " + e + ")");
        }
        System.out.println("EarOnPayaraServerIT: end of server.log excerpt; asadmin output is in " + logDir);
    }

    /** A port base in 30000..39900 whose whole block of 100 ports is free and far from the reserved ports. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 30000 + RANDOM.nextInt(100) * 100;
            if (overlapsReserved(base) || !blockIsFree(base)) {
                continue;
            }
            return base;
        }
        throw new AssertionError("no free block of 100 ports found in 30000..39999");
    }

    private static boolean overlapsReserved(int base) {
        for (int[] r : RESERVED_PORTS) {
            if (base <= r[1] && base + 99 >= r[0]) {
                return true;
            }
        }
        return false;
    }

    private static boolean blockIsFree(int base) {
        for (int port = base; port < base + 100; port++) {
            if (!isFree(port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFree(int port) {
        for (InetAddress address : new InetAddress[] {null, InetAddress.getLoopbackAddress()}) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static String requiredProperty(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through maven-failsafe)");
        }
        return v;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("EarOnPayaraServerIT: could not delete " + dir + ": " + e);
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
