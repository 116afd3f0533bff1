package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the deployment artifacts under {@code docker/} without a Docker engine: the Swarm stack as
 * {@code docker stack config} renders it, the Prometheus configuration and rules through {@code promtool}, and the
 * Grafana dashboard against the metrics {@code docs/how-it-works.md} says the application exports. It also keeps the
 * documentation honest: {@code docs/configuration.md} lists exactly the settings the application reads, and the
 * README's short table names only such settings.
 */
class DeploymentConfigTest {

    /** Every setting the application and scripts/replica read; must equal the table in docs/configuration.md. */
    static final Set<String> SETTINGS = Set.of(
            "INSTANCE_ID",
            "HTTP_PORT",
            "HTTP_THREADS",
            "ENABLE_CRON",
            "LEADER_LEASE_MS",
            "MEMBERSHIP_HEARTBEAT_MS",
            "LEDGER_RETENTION_DAYS",
            "LEADER_TICK_ENABLED",
            "DB_URL",
            "DB_HOST",
            "DB_PORT",
            "DB_NAME",
            "DB_USER",
            "DB_PASSWORD",
            "DB_SCHEMA",
            "DB_POOL_MAX",
            "DB_STARTUP_WAIT_MS",
            "DB_CONNECTION_RESERVE",
            "DB_MAX_CONNECTIONS_OVERRIDE",
            "REDIS_SENTINEL_ENABLED",
            "REDIS_SENTINELS",
            "REDIS_MASTER_NAME",
            "REDIS_HOST",
            "REDIS_PORT",
            "REDIS_PASSWORD",
            "REDIS_SENTINEL_PASSWORD",
            "REDIS_DB",
            "REDIS_TIMEOUT_MS",
            "REDIS_POOL_MAX",
            "REDIS_KEY_PREFIX",
            "ADMIN_API_KEY",
            "AUTH_CACHE_TTL_SECONDS",
            "AUTH_CACHE_MAX_KEYS",
            "CONSOLE_SESSION_IDLE_MINUTES",
            "CONSOLE_SESSION_MAX_HOURS",
            "REQUEST_MAX_BYTES",
            "JAVA_HEAP",
            "JAVA_OPTS",
            "QUEUE_CONSUMERS_ENABLED",
            "QUEUE_EXECUTOR_THREADS",
            "QUEUE_LOCK_MS",
            "QUEUE_STALL_CHECK_MS",
            "QUEUE_JOB_TIMEOUT_MS",
            "QUEUE_MAX_PAYLOAD_BYTES",
            "QUEUE_FETCH_STALE_MS",
            "QUEUE_PREFETCH_MAX",
            "QUEUE_COMPLETION_RETRY_MS",
            "REDIS_MIN_REPLICA_ACKS",
            "REDIS_WAIT_TIMEOUT_MS",
            "SHUTDOWN_GRACE_MS",
            "SHUTDOWN_DRAIN_MS",
            "SHUTDOWN_DRAIN_FILE",
            "WEBHOOK_SIGNING_SECRET",
            "WEBHOOK_TIMEOUT_MS",
            "WEBHOOK_ALLOWED_DESTINATIONS",
            "WEBHOOK_SIGNING_SECRET_PREVIOUS");

    /** Secrets that may come as {@code NAME_FILE}. */
    static final Set<String> SECRETS = Set.of(
            "DB_PASSWORD",
            "REDIS_PASSWORD",
            "REDIS_SENTINEL_PASSWORD",
            "ADMIN_API_KEY",
            "WEBHOOK_SIGNING_SECRET",
            "WEBHOOK_SIGNING_SECRET_PREVIOUS");

    /** Set in the stack ahead of the code that reads them (none now). */
    static final Set<String> PENDING_SETTINGS = Set.of();

    /** The operations document's names and values, which the stack must keep. */
    static final Map<String, String> SEED_ENV = Map.of(
            "REDIS_SENTINEL_ENABLED",
            "true",
            "REDIS_SENTINELS",
            "redis-sentinel-1:26379,redis-sentinel-2:26379,redis-sentinel-3:26379",
            "REDIS_MASTER_NAME",
            "mymaster");

    static final String NETWORK = "network_public";
    static final String READINESS_PATH = "/health/ready";
    /** Connections kept free for migrations by hand, psql, backups and monitoring. */
    static final int RESERVE = 50;
    /** PostgreSQL clients that are not replicas (an exporter, an operator's psql, a backup). */
    static final int OTHER_CLIENTS = 10;

    static Path root;
    static Map<String, Object> stack;
    static Map<String, Map<String, Object>> services;
    static String readme;
    /** docs/configuration.md: every setting, with range and default. */
    static String configuration;
    /** docs/how-it-works.md: among others, the metrics the application exports. */
    static String howItWorks;

    @BeforeAll
    static void render() throws Exception {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docker/stack.yml"))) {
            root = root.getParent();
            if (root == null) {
                fail("docker/stack.yml not found above " + Path.of("").toAbsolutePath());
            }
        }
        readme = Files.readString(root.resolve("README.md"));
        configuration = Files.readString(root.resolve("docs/configuration.md"));
        howItWorks = Files.readString(root.resolve("docs/how-it-works.md"));
        Result r = run(
                root,
                "docker",
                List.of("docker", "stack", "config", "-c", "docker/stack.yml"),
                "the Docker client is needed (no engine: `docker stack config` works offline); on Debian install "
                        + "docker-ce-cli from download.docker.com (Debian's docker.io 20.10 CLI has no `stack config`)");
        assertThat(r.exit)
                .as("docker stack config -c docker/stack.yml:\n%s", r.output)
                .isZero();
        stack = new Yaml().load(r.stdout);
        services = cast(stack.get("services"));
        assertThat(services).as("services").isNotEmpty();
    }

    @Test
    void settingsListMatchesTheFullConfigurationTable() {
        assertThat(settingsIn(section(configuration, "## Every setting", "## ")))
                .as("docs/configuration.md table vs this test's SETTINGS")
                .containsExactlyInAnyOrderElementsOf(SETTINGS);
    }

    @Test
    void readmeConfigurationTableNamesOnlyRealSettings() {
        assertThat(settingsIn(section(readme, "## Configuration", "## ")))
                .as("README's short configuration table")
                .isNotEmpty()
                .isSubsetOf(SETTINGS);
    }

    /** The names in the first column of a Markdown settings table (rows such as {@code | `A` / `B` | ...}). */
    static Set<String> settingsIn(String table) {
        Set<String> documented = new TreeSet<>();
        Matcher row =
                Pattern.compile("(?m)^\\| (`[A-Z_]+`(?: / `[A-Z_]+`)*) \\|").matcher(table);
        while (row.find()) {
            Matcher name = Pattern.compile("`([A-Z_]+)`").matcher(row.group(1));
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        return documented;
    }

    @Test
    void backendServicesSetOnlyKnownSettingsAndTheSeedNames() {
        for (String name : backendServices()) {
            Map<String, String> env = env(name);
            for (String key : env.keySet()) {
                boolean known = SETTINGS.contains(key)
                        || PENDING_SETTINGS.contains(key)
                        || (key.endsWith("_FILE") && SECRETS.contains(key.substring(0, key.length() - 5)));
                assertThat(known)
                        .as("%s sets %s, which the application does not read", name, key)
                        .isTrue();
            }
            SEED_ENV.forEach(
                    (k, v) -> assertThat(env).as("%s environment", name).containsEntry(k, v));
            // each secret file is a secret attached to the service, never the secret itself in the environment
            for (String secret : SECRETS) {
                assertThat(env)
                        .as("%s: %s must come from a Docker secret", name, secret)
                        .doesNotContainKey(secret);
            }
            Set<String> attached = new LinkedHashSet<>();
            for (Map<String, Object> s :
                    DeploymentConfigTest.<List<Map<String, Object>>>get(services.get(name), "secrets")) {
                attached.add(s.getOrDefault("target", s.get("source")).toString());
            }
            env.forEach((k, v) -> {
                if (k.endsWith("_FILE")) {
                    assertThat(v).as("%s %s", name, k).startsWith("/run/secrets/");
                    assertThat(attached).as("%s: secret behind %s", name, k).contains(v.substring(13));
                }
            });
            assertThat(services).as("%s: DB_HOST", name).containsKey(env.get("DB_HOST"));
            assertThat(env.get("INSTANCE_ID")).as("%s: one id per task", name).contains("{{.Task.Slot}}");
        }
        assertThat(env("backend")).containsEntry("ENABLE_CRON", "true");
        assertThat(env("worker")).containsEntry("ENABLE_CRON", "false");
    }

    @Test
    void everySentinelIsAServiceMonitoringTheMasterNameOnARedisService() throws IOException {
        Map<String, String> env = env("backend");
        String masterName = env.get("REDIS_MASTER_NAME");
        String[] sentinels = env.get("REDIS_SENTINELS").split(",");
        assertThat(sentinels).as("Sentinels for a majority").hasSizeGreaterThanOrEqualTo(3);
        for (String hostPort : sentinels) {
            String host = hostPort.substring(0, hostPort.indexOf(':'));
            assertThat(hostPort).endsWith(":26379");
            assertThat(services).as("REDIS_SENTINELS names %s", host).containsKey(host);
            Map<String, Object> svc = services.get(host);
            assertThat(command(host)).as("%s runs Sentinel", host).contains("--sentinel");

            List<Map<String, Object>> configs = get(svc, "configs");
            assertThat(configs).as("%s configs", host).hasSize(1);
            String conf =
                    Files.readString(configFile(configs.get(0).get("source").toString()));
            assertThat(conf)
                    .as("%s config", host)
                    .containsPattern("(?m)^sentinel resolve-hostnames yes$")
                    .containsPattern("(?m)^sentinel announce-hostnames yes$");
            assertThat(command(host)).contains(configs.get(0).get("target").toString());

            Matcher monitor = Pattern.compile("(?m)^sentinel monitor (\\S+) (\\S+) (\\d+) (\\d+)$")
                    .matcher(conf);
            assertThat(monitor.find()).as("%s: sentinel monitor line", host).isTrue();
            assertThat(monitor.group(1)).as("monitored master name").isEqualTo(masterName);
            String master = monitor.group(2);
            assertThat(services).as("monitored Redis %s", master).containsKey(master);
            assertThat(command(master)).contains("redis-server");
            int quorum = Integer.parseInt(monitor.group(4));
            assertThat(quorum).as("quorum").isGreaterThan(sentinels.length / 2).isLessThanOrEqualTo(sentinels.length);
            assertThat(conf)
                    .containsPattern("(?m)^sentinel down-after-milliseconds " + masterName + " \\d+$")
                    .containsPattern("(?m)^sentinel failover-timeout " + masterName + " \\d+$");
            // the replica follows that master
            assertThat(command("redis-replica")).contains("--replicaof " + master + " " + monitor.group(3));
        }
    }

    @Test
    void connectionBudgetLeavesAReserveUnderMaxConnections() throws IOException {
        Matcher m = Pattern.compile("max_connections=(\\d+)").matcher(command("postgres"));
        assertThat(m.find()).as("postgres command sets max_connections").isTrue();
        int max = Integer.parseInt(m.group(1));
        int pools = 0;
        StringBuilder figures = new StringBuilder();
        for (String name : backendServices()) {
            int replicas = ((Number) DeploymentConfigTest.<Map<String, Object>>get(services.get(name), "deploy")
                            .get("replicas"))
                    .intValue();
            int pool = Integer.parseInt(env(name).getOrDefault("DB_POOL_MAX", "15"));
            pools += replicas * pool;
            figures.append(name)
                    .append(' ')
                    .append(replicas)
                    .append(" x ")
                    .append(pool)
                    .append(", ");
        }
        System.out.printf(
                "connection budget: %s+ %d other clients = %d <= %d max_connections - %d reserve%n",
                figures, OTHER_CLIENTS, pools + OTHER_CLIENTS, max, RESERVE);
        assertThat(pools + OTHER_CLIENTS)
                .as("replicas x DB_POOL_MAX + other clients")
                .isLessThanOrEqualTo(max - RESERVE);
        // the replicas' own guard enforces the same budget, and the alert fires on its verdict
        for (String name : backendServices()) {
            assertThat(env(name))
                    .as("%s guards the same reserve", name)
                    .containsEntry("DB_CONNECTION_RESERVE", String.valueOf(RESERVE))
                    .doesNotContainKey("DB_MAX_CONNECTIONS_OVERRIDE");
        }
        Map<String, Object> alerts = new Yaml().load(Files.readString(root.resolve("docker/prometheus/alerts.yml")));
        List<String> budgetAlerts = new ArrayList<>();
        for (Map<String, Object> group : DeploymentConfigTest.<List<Map<String, Object>>>get(alerts, "groups")) {
            for (Map<String, Object> rule : DeploymentConfigTest.<List<Map<String, Object>>>get(group, "rules")) {
                if ("AdvwellConnectionBudgetExceeded".equals(rule.get("alert"))) {
                    budgetAlerts.add(rule.get("expr").toString());
                }
            }
        }
        assertThat(budgetAlerts)
                .singleElement()
                .satisfies(
                        expr -> assertThat(metricNames(expr)).containsExactly("advwell_db_connection_budget_exceeded"));
    }

    @Test
    void backendServicesAreHealthCheckedOnReadinessAndRollSafely() throws IOException {
        assertThat(readme)
                .as("README documents the readiness path")
                .contains("`" + READINESS_PATH + "`")
                .contains("/health/{live,ready,started}");
        assertThat(Files.readString(root.resolve("docker/Dockerfile")))
                .contains("HEALTHCHECK")
                .contains(READINESS_PATH)
                .contains("ENTRYPOINT [\"/opt/advwell/bin/replica\"]");
        for (String name : backendServices()) {
            Map<String, Object> svc = services.get(name);
            Map<String, Object> health = get(svc, "healthcheck");
            assertThat(String.join(" ", DeploymentConfigTest.<List<String>>get(health, "test")))
                    .as("%s health check", name)
                    .contains(":" + env(name).get("HTTP_PORT") + READINESS_PATH);

            Duration grace = goDuration(svc.get("stop_grace_period").toString());
            long shutdown = Long.parseLong(env(name).get("SHUTDOWN_GRACE_MS"))
                    + Long.parseLong(env(name).getOrDefault("SHUTDOWN_DRAIN_MS", "0"));
            assertThat(grace.toMillis())
                    .as("%s stop_grace_period vs SHUTDOWN_GRACE_MS + SHUTDOWN_DRAIN_MS", name)
                    .isGreaterThan(shutdown);

            Map<String, Object> deploy = get(svc, "deploy");
            Map<String, Object> update = get(deploy, "update_config");
            assertThat(update)
                    .containsEntry("order", "start-first")
                    .containsEntry("failure_action", "rollback")
                    .containsKey("monitor");
            assertThat(deploy).containsKey("rollback_config");
            Map<String, Object> limits = get(get(deploy, "resources"), "limits");
            assertThat(limits)
                    .as("%s limits (seed: 1 core, 2 GB)", name)
                    .containsEntry("cpus", "1")
                    .containsEntry("memory", "2147483648");
            assertThat(String.valueOf((Object) get(deploy, "placement"))).contains("spread=node.id");
        }
    }

    /**
     * The API is published by the edge (HAProxy, one task per node), never by the backend tasks themselves: a port in
     * host mode (kernels without IPVS) can be held by one task per node, so a published backend port would cap the
     * backend at one task per node. The edge must balance over every backend task (tasks.backend through Docker's DNS,
     * re-resolved) with room for scaling, and only over tasks whose readiness answers.
     */
    @Test
    void theEdgePublishesTheApiAndBalancesOverEveryReadyBackendTask() throws IOException {
        for (String name : backendServices()) {
            assertThat(DeploymentConfigTest.<Object>get(services.get(name), "ports"))
                    .as("%s publishes no port", name)
                    .isNull();
        }
        Map<String, Object> edge = services.get("edge");
        assertThat(edge).as("edge service").isNotNull();
        String port = env("backend").get("HTTP_PORT");
        assertThat(portKeys(get(edge, "ports"))).as("edge ports").containsExactly(port + ":" + port + "/tcp");
        assertThat(DeploymentConfigTest.<Map<String, Object>>get(edge, "deploy"))
                .as("one edge per node")
                .containsEntry("mode", "global");
        List<Map<String, Object>> configs = get(edge, "configs");
        assertThat(configs).as("edge configs").hasSize(1);
        assertThat(configs.get(0))
                .as("the haproxy image's default configuration path")
                .containsEntry("target", "/usr/local/etc/haproxy/haproxy.cfg");
        String cfg = Files.readString(configFile(configs.get(0).get("source").toString()));

        assertThat(cfg).as("edge listens on the published port").containsPattern("(?m)^\\s+bind :" + port + "$");
        Matcher template = Pattern.compile("(?m)^\\s+server-template \\S+ (\\d+) tasks\\.backend:(\\d+)$")
                .matcher(cfg);
        assertThat(template.find()).as("server-template over tasks.backend").isTrue();
        assertThat(template.group(2)).as("backend port").isEqualTo(port);
        int replicas = ((Number) DeploymentConfigTest.<Map<String, Object>>get(services.get("backend"), "deploy")
                        .get("replicas"))
                .intValue();
        assertThat(Integer.parseInt(template.group(1)))
                .as("server slots: room to scale the backend past 2x")
                .isGreaterThanOrEqualTo(2 * replicas);
        Matcher resolvers = Pattern.compile("(?m)^resolvers (\\S+)$").matcher(cfg);
        assertThat(resolvers.find()).as("a resolvers section").isTrue();
        assertThat(section(cfg, "resolvers " + resolvers.group(1), "\n"))
                .as("Docker's embedded DNS")
                .containsPattern("(?m)^\\s+nameserver \\S+ 127\\.0\\.0\\.11:53$");
        assertThat(cfg)
                .as("servers re-resolved and health-checked")
                .containsPattern("(?m)^\\s+default-server .*\\bresolvers " + resolvers.group(1) + "\\b.*\\bcheck\\b");
        assertThat(cfg)
                .as("health check on readiness")
                .containsPattern("(?m)^\\s+http-check send meth GET uri " + Pattern.quote(READINESS_PATH) + "$")
                .containsPattern("(?m)^\\s+http-check expect status 200$");
    }

    @Test
    void everyServiceIsOnTheOverlayNetwork() {
        Map<String, Object> net = get(get(stack, "networks"), NETWORK);
        assertThat(net).as("%s is external", NETWORK).containsEntry("external", true);
        services.forEach((name, svc) -> assertThat(DeploymentConfigTest.<Map<String, Object>>get(svc, "networks"))
                .as("%s networks", name)
                .containsKey(NETWORK));
    }

    @Test
    void prometheusScrapesEveryBackendTaskAndPromtoolAcceptsConfigAndRules() throws Exception {
        Map<String, Object> prom = new Yaml().load(Files.readString(root.resolve("docker/prometheus/prometheus.yml")));
        Set<String> targets = new LinkedHashSet<>();
        for (Map<String, Object> job : DeploymentConfigTest.<List<Map<String, Object>>>get(prom, "scrape_configs")) {
            List<Map<String, Object>> sd = get(job, "dns_sd_configs");
            for (Map<String, Object> c : sd == null ? List.<Map<String, Object>>of() : sd) {
                for (Object n : (List<?>) c.get("names")) {
                    targets.add(n + ":" + c.get("port") + job.getOrDefault("metrics_path", "/metrics"));
                }
            }
        }
        for (String name : backendServices()) {
            assertThat(targets)
                    .as("Prometheus scrapes every %s task", name)
                    .contains("tasks." + name + ":" + env(name).get("HTTP_PORT") + "/metrics");
        }
        Path dir = root.resolve("docker/prometheus");
        String hint = "promtool is needed: apt-get install -y prometheus (scripts/test installs it)";
        Result config = run(dir, "promtool", List.of("promtool", "check", "config", "prometheus.yml"), hint);
        assertThat(config.exit).as("promtool check config:\n%s", config.output).isZero();
        Result rules = run(dir, "promtool", List.of("promtool", "check", "rules", "alerts.yml"), hint);
        assertThat(rules.exit).as("promtool check rules:\n%s", rules.output).isZero();
    }

    @Test
    void dashboardAndAlertsQueryOnlyMetricsTheApplicationExports() throws IOException {
        Set<String> exported = new TreeSet<>(List.of("up"));
        Matcher m = Pattern.compile("`(advwell_[a-z_]+)`").matcher(section(howItWorks, "- **Metrics.**", "## "));
        while (m.find()) {
            exported.add(m.group(1));
        }
        assertThat(exported).as("metrics named in docs/how-it-works.md").hasSizeGreaterThan(5);

        JsonObject dashboard = Json.createReader(
                        new StringReader(Files.readString(root.resolve("docker/grafana/dashboards/advwell.json"))))
                .readObject();
        String datasourceUid = new Yaml()
                        .<Map<String, Object>>load(Files.readString(
                                root.resolve("docker/grafana/provisioning/datasources/prometheus.yml")))
                        .entrySet()
                        .stream()
                        .filter(e -> e.getKey().equals("datasources"))
                        .map(e -> ((List<Map<String, Object>>) e.getValue())
                                .get(0)
                                .get("uid")
                                .toString())
                        .findFirst()
                        .orElseThrow();
        JsonArray panels = dashboard.getJsonArray("panels");
        assertThat(panels).isNotEmpty();
        List<String> exprs = new ArrayList<>();
        for (JsonValue p : panels) {
            JsonObject panel = p.asJsonObject();
            assertThat(panel.getJsonArray("targets"))
                    .as("panel %s queries", panel.getString("title"))
                    .isNotEmpty();
            assertThat(panel.getJsonObject("datasource").getString("uid")).isEqualTo(datasourceUid);
            for (JsonValue t : panel.getJsonArray("targets")) {
                exprs.add(((JsonString) t.asJsonObject().get("expr")).getString());
            }
        }
        Set<String> shown = new TreeSet<>();
        for (String expr : exprs) {
            Set<String> used = metricNames(expr);
            assertThat(exported).as("metrics of dashboard query %s", expr).containsAll(used);
            shown.addAll(used);
        }
        assertThat(shown)
                .as("dashboard shows leader, epoch, pool and Redis series")
                .contains(
                        "up",
                        "advwell_leader",
                        "advwell_leader_epoch",
                        "advwell_leader_transitions",
                        "advwell_db_pool_in_use",
                        "advwell_db_pool_max",
                        "advwell_redis_up",
                        "advwell_redis_master_changes",
                        "advwell_cluster_members");

        Map<String, Object> alerts = new Yaml().load(Files.readString(root.resolve("docker/prometheus/alerts.yml")));
        for (Map<String, Object> group : DeploymentConfigTest.<List<Map<String, Object>>>get(alerts, "groups")) {
            for (Map<String, Object> rule : DeploymentConfigTest.<List<Map<String, Object>>>get(group, "rules")) {
                assertThat(exported)
                        .as("metrics of alert %s", rule.get("alert"))
                        .containsAll(metricNames(rule.get("expr").toString()));
            }
        }
    }

    /**
     * docker/stack.local.yml, the override for kernels without IPVS, changes only what such a kernel needs: every
     * service dnsrr, every published port in host mode (same ports), images by the local tags scripts/swarm builds,
     * and Grafana (no Debian package, no registry) at 0 replicas. Services, environment, secrets, configs, volumes,
     * resources and policies stay those of docker/stack.yml.
     */
    @Test
    void localOverrideChangesOnlyEndpointModePortModeAndImages() throws Exception {
        Result r = run(
                root,
                "docker",
                List.of("docker", "stack", "config", "-c", "docker/stack.yml", "-c", "docker/stack.local.yml"),
                "the Docker client is needed");
        assertThat(r.exit)
                .as("docker stack config -c docker/stack.yml -c docker/stack.local.yml:\n%s", r.output)
                .isZero();
        Map<String, Object> merged = new Yaml().load(r.stdout);
        Map<String, Map<String, Object>> local = cast(merged.get("services"));
        assertThat(local.keySet()).as("services of the merged stack").isEqualTo(services.keySet());
        String swarmScript = Files.readString(root.resolve("scripts/swarm"));
        for (String name : services.keySet()) {
            Map<String, Object> base = services.get(name);
            Map<String, Object> svc = local.get(name);
            Map<String, Object> deploy = get(svc, "deploy");
            assertThat(deploy).as("%s deploy", name).containsEntry("endpoint_mode", "dnsrr");

            List<Map<String, Object>> basePorts = get(base, "ports");
            List<Map<String, Object>> ports = get(svc, "ports");
            assertThat(portKeys(ports)).as("%s published ports", name).isEqualTo(portKeys(basePorts));
            for (Map<String, Object> port : ports == null ? List.<Map<String, Object>>of() : ports) {
                assertThat(port).as("%s port", name).containsEntry("mode", "host");
            }

            String image = svc.get("image").toString();
            boolean runs = !Integer.valueOf(0).equals(deploy.get("replicas"));
            if (backendServices().contains(name)) {
                assertThat(image).as("%s image", name).isEqualTo(base.get("image"));
            } else if (runs) {
                assertThat(image).as("%s: a local image", name).startsWith("advwell/");
                assertThat(swarmScript).as("scripts/swarm builds %s", image).contains("=" + image + "\n");
            } else {
                assertThat(name)
                        .as("only Grafana has no local image and runs no task")
                        .isEqualTo("grafana");
            }

            // everything else is docker/stack.yml's (lists compared as sets: the merge reorders them)
            Map<String, Object> a = new LinkedHashMap<>(base);
            Map<String, Object> b = new LinkedHashMap<>(svc);
            for (Map<String, Object> m : List.of(a, b)) {
                m.remove("ports");
                m.remove("image");
                Map<String, Object> d = new LinkedHashMap<>(DeploymentConfigTest.<Map<String, Object>>get(m, "deploy"));
                d.remove("endpoint_mode");
                if (!runs) {
                    d.remove("replicas");
                }
                m.put("deploy", d);
            }
            assertThat(normalized(b))
                    .as("%s apart from endpoint mode, port mode and image", name)
                    .isEqualTo(normalized(a));
        }
        for (String section : List.of("networks", "secrets", "configs", "volumes")) {
            assertThat(normalized(merged.get(section))).as(section).isEqualTo(normalized(stack.get(section)));
        }
        System.out.printf(
                "stack.local.yml: %d services dnsrr, published ports in host mode: %s%n",
                local.size(),
                local.entrySet().stream()
                        .filter(e -> e.getValue().get("ports") != null)
                        .map(e -> e.getKey() + " " + portKeys(get(e.getValue(), "ports")))
                        .toList());
    }

    static Set<String> portKeys(List<Map<String, Object>> ports) {
        Set<String> keys = new TreeSet<>();
        for (Map<String, Object> p : ports == null ? List.<Map<String, Object>>of() : ports) {
            keys.add(p.get("published") + ":" + p.get("target") + "/" + p.getOrDefault("protocol", "tcp"));
        }
        return keys;
    }

    /** Maps with their entries sorted and lists turned into sorted lists of their normalized elements. */
    static Object normalized(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), normalized(v)));
            return sorted;
        }
        if (o instanceof List<?> l) {
            return l.stream()
                    .map(DeploymentConfigTest::normalized)
                    .map(String::valueOf)
                    .sorted()
                    .toList();
        }
        return o;
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher id = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?")
                .matcher(s);
        Set<String> keywords = Set.of("and", "or", "unless", "bool", "offset", "by", "without");
        while (id.find()) {
            if (id.group(2) == null && !keywords.contains(id.group(1))) {
                names.add(id.group(1));
            }
        }
        return names;
    }

    @Test
    void metricNamesIgnoresFunctionsLabelsAndDurations() {
        assertThat(metricNames("sum by (job) (up{job=~\"a|b\"}) + increase(advwell_leader_transitions[10m]) > 6"))
                .containsExactlyInAnyOrder("up", "advwell_leader_transitions");
        assertThat(metricNames("time() - advwell_replica_start_time_seconds"))
                .containsExactly("advwell_replica_start_time_seconds");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Services that run the application image (they have a pool size). */
    static List<String> backendServices() {
        List<String> names = new ArrayList<>();
        services.forEach((name, svc) -> {
            if (String.valueOf(svc.get("image")).startsWith("advwell/backend:")) {
                names.add(name);
            }
        });
        assertThat(names).as("application services").containsExactlyInAnyOrder("backend", "worker");
        return names;
    }

    static Map<String, String> env(String service) {
        Map<String, Object> raw = cast(services.get(service).get("environment"));
        Map<String, String> env = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> env.put(k, v == null ? null : v.toString()));
        }
        return env;
    }

    static String command(String service) {
        Object c = services.get(service).get("command");
        return c instanceof List<?> l
                ? String.join(" ", l.stream().map(Object::toString).toList())
                : String.valueOf(c);
    }

    static Path configFile(String config) {
        Map<String, Object> c = get(get(stack, "configs"), config);
        assertThat(c).as("config %s", config).isNotNull();
        return root.resolve("docker").resolve(c.get("file").toString());
    }

    /** Go durations as `docker stack config` prints them: 40s, 1m0s, 1m30.5s, 500ms. */
    static Duration goDuration(String s) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)").matcher(s);
        double ms = 0;
        int end = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            ms += switch (m.group(2)) {
                case "h" -> v * 3_600_000;
                case "m" -> v * 60_000;
                case "s" -> v * 1000;
                default -> v;
            };
            end = m.end();
        }
        assertThat(end).as("duration %s", s).isEqualTo(s.length());
        return Duration.ofMillis((long) ms);
    }

    static String section(String text, String start, String endPrefix) {
        int from = text.indexOf(start);
        assertThat(from).as("documentation section %s", start).isNotNegative();
        int to = text.indexOf("\n" + endPrefix, from + start.length());
        return text.substring(from, to < 0 ? text.length() : to);
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }

    static <T> T get(Object map, String key) {
        return map == null ? null : cast(((Map<?, ?>) map).get(key));
    }

    record Result(int exit, String stdout, String output) {}

    static Result run(Path dir, String tool, List<String> cmd, String missingHint) throws Exception {
        boolean onPath = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(p -> Files.isExecutable(Path.of(p, tool)));
        if (!onPath) {
            fail("'" + tool + "' not found on PATH: " + missingHint);
        }
        Path err = Files.createTempFile("advwell-" + tool, ".err");
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectError(err.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), out, out + Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
