package com.advwell.replica;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replica WAR exactly as built, deployed in Payara Micro with its real pool, PostgreSQL and Redis: health,
 * metrics, authentication, the admin API and the error contract. One class, because each starts a Payara Micro.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ReplicaApiIT {

    private static final String ADMIN_KEY = System.getenv("ADMIN_API_KEY");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive replica() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("advwell.war")));
    }

    private HttpResponse<String> call(String method, String path, String key, String contentType, String body) throws Exception {
        URI uri = path.startsWith("/health") || path.startsWith("/metrics") ? base.toURI().resolve(path)
                : base.toURI().resolve("api/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return call(method, path, ADMIN_KEY, body == null ? null : "application/json", body);
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonObject problem = json(response);
        assertThat(problem.getInt("status")).isEqualTo(status);
        assertThat(problem.getString("title")).isNotBlank();
        if (field != null) {
            assertThat(problem.getString("field")).isEqualTo(field);
        }
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void healthAndMetricsNeedNoKeyAndDescribeTheReplica() throws Exception {
        HttpResponse<String> ready = call("GET", "/health/ready", null, null, null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"postgresql\"").contains("\"redis\"");
        assertThat(call("GET", "/health/live", null, null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/health/started", null, null, null).statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = call("GET", "/metrics?scope=application", null, null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        String replica = "replica=\"" + System.getenv("INSTANCE_ID") + "\"";
        assertThat(metrics.body()).containsPattern("advwell_db_pool_max\\{[^}]*" + replica + "[^}]*} 5")
                .containsPattern("advwell_redis_up\\{[^}]*" + replica + "[^}]*} 1");
    }

    @Test
    void everyApiCallNeedsAValidKey() throws Exception {
        assertProblem(call("GET", "me", null, null, null), 401, null);
        assertProblem(call("GET", "tenants", "aw_not-a-real-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", null, null), 401, null);
        HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(base.toURI().resolve("api/me"))
                .header("Authorization", "Basic YWRtaW46YWRtaW4=").build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(basic, 401, null);
        assertThat(basic.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"advwell\"");

        HttpResponse<String> me = admin("GET", "me", null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me).getString("role")).isEqualTo("admin");
    }

    @Test
    void adminsManageTenantsClientsAndKeys() throws Exception {
        HttpResponse<String> created = admin("POST", "tenants", "{\"name\":\"Acme Ltda\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String tenantId = json(created).getString("id");
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/tenants/" + tenantId));

        HttpResponse<String> renamed = admin("PUT", "tenants/" + tenantId, "{\"name\":\"Acme S.A.\"}");
        assertThat(json(renamed).getString("name")).isEqualTo("Acme S.A.");
        assertThat(json(admin("GET", "tenants/" + tenantId, null)).getString("name")).isEqualTo("Acme S.A.");

        HttpResponse<String> client = admin("POST", "tenants/" + tenantId + "/clients", "{\"name\":\"erp\",\"role\":\"client\"}");
        assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
        String key = json(client).getString("key");
        String keyId = json(client).getString("keyId");

        HttpResponse<String> me = call("GET", "me", key, null, null);
        assertThat(json(me).getString("tenantId")).isEqualTo(tenantId);
        assertThat(json(me).getString("role")).isEqualTo("client");
        assertProblem(call("GET", "tenants", key, null, null), 403, null);
        assertThat(admin("GET", "clients/" + json(client).getString("clientId") + "/keys", null).body()).doesNotContain(key);

        assertThat(storedKeyMaterial()).as("the key itself is never stored").doesNotContain(key).contains(keyId);

        assertThat(admin("DELETE", "api-keys/" + keyId, null).statusCode()).isEqualTo(200);
        assertProblem(call("GET", "me", key, null, null), 401, null);
        assertProblem(admin("POST", "tenants/" + tenantId + "/clients", "{\"name\":\"x\",\"role\":\"admin\"}"), 400, "role");
    }

    @Test
    void badInputGetsAProblemNamingTheField() throws Exception {
        assertProblem(admin("POST", "tenants", "{\"name\":"), 400, "body");
        assertProblem(admin("POST", "tenants", "{\"name\":{\"first\":1}}"), 400, "name");
        assertProblem(admin("POST", "tenants", "{\"name\":\"x\",\"nmae\":\"y\"}"), 400, "nmae");
        assertProblem(admin("POST", "tenants", "{}"), 400, "name");
        assertProblem(admin("POST", "tenants", null), 400, "body");
        assertProblem(admin("POST", "tenants/x/clients", "{\"name\":\"n\",\"role\":\"root\"}"), 400, "role");
        assertProblem(admin("POST", "tenants", "{\"name\":\"" + "a".repeat(70_000) + "\"}"), 413, "body");
        assertProblem(call("POST", "tenants", ADMIN_KEY, "text/plain", "name"), 415, null);
        assertProblem(admin("GET", "tenants/no-such-tenant", null), 404, null);
        assertProblem(admin("GET", "no-such-resource", null), 404, null);
        assertProblem(admin("GET", "tenants?limit=many", null), 400, "limit");
        assertProblem(admin("GET", "diagnostics/db?holdMs=5000", null), 400, "holdMs");
    }

    @Test
    void diagnosticsReachBothDependencies() throws Exception {
        HttpResponse<String> redis = admin("POST", "diagnostics/redis", null);
        assertThat(redis.statusCode()).as(redis.body()).isEqualTo(200);
        HttpResponse<String> db = admin("GET", "diagnostics/db", null);
        assertThat(json(db).getString("applicationName")).isEqualTo(System.getenv("INSTANCE_ID"));
    }

    @Test
    void aSingleReplicaLeadsAndFiresClientSchedulesOncePerSlotForTheirTenantOnly() throws Exception {
        HttpResponse<String> cluster = admin("GET", "cluster", null);
        assertThat(cluster.statusCode()).as(cluster.body()).isEqualTo(200);

        String tenantA = json(admin("POST", "tenants", "{\"name\":\"A\"}")).getString("id");
        String tenantB = json(admin("POST", "tenants", "{\"name\":\"B\"}")).getString("id");
        String keyA = json(admin("POST", "tenants/" + tenantA + "/clients", "{\"name\":\"a\",\"role\":\"client\"}")).getString("key");
        String keyB = json(admin("POST", "tenants/" + tenantB + "/clients", "{\"name\":\"b\",\"role\":\"client\"}")).getString("key");

        HttpResponse<String> created = call("POST", "schedules", keyA, "application/json",
                "{\"name\":\"every second\",\"cron\":\"* * * * * ?\",\"queue\":\"probe\",\"payload\":{\"n\":1}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject schedule = json(created);
        assertThat(schedule.getString("dialect")).isEqualTo("quartz");
        assertThat(schedule.getString("timeZone")).isEqualTo("America/Sao_Paulo");
        String id = schedule.getString("id");

        // the replica is the only one campaigning, so it leads and its one-second firing timer runs the schedule
        long deadline = System.currentTimeMillis() + 60_000;
        int runs = 0;
        while (System.currentTimeMillis() < deadline && runs < 3) {
            Thread.sleep(500);
            runs = Json.createReader(new StringReader(call("GET", "schedules/" + id + "/runs", keyA, null, null).body()))
                    .readArray().size();
        }
        assertThat(runs).as("runs recorded within 60 s").isGreaterThanOrEqualTo(3);
        String history = call("GET", "schedules/" + id + "/runs?limit=100", keyA, null, null).body();
        assertThat(history).contains("SUCCEEDED");

        assertProblem(call("GET", "schedules/" + id, keyB, null, null), 404, null);
        assertThat(call("GET", "schedules", keyB, null, null).body()).doesNotContain(id);
        assertThat(call("POST", "schedules/" + id + "/run", keyA, null, null).statusCode()).isEqualTo(202);
        assertThat(json(call("POST", "schedules/" + id + "/pause", keyA, null, null)).getBoolean("paused")).isTrue();

        assertProblem(call("POST", "schedules", keyA, "application/json",
                "{\"name\":\"x\",\"cron\":\"61 * * * *\",\"queue\":\"q\"}"), 400, "cron");
        assertProblem(call("POST", "schedules", keyA, "application/json",
                "{\"name\":\"x\",\"cron\":\"0 * * * *\",\"timeZone\":\"Mars/Olympus\",\"queue\":\"q\"}"), 400, "timeZone");
        assertThat(call("DELETE", "schedules/" + id, keyA, null, null).statusCode()).isEqualTo(204);
    }

    private static String storedKeyMaterial() throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("ADVWELL_DB_HOST") + ":" + System.getenv("ADVWELL_DB_PORT") + "/advwell";
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url, "advwell", "advwell"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, digest FROM " + System.getenv("DB_SCHEMA") + ".api_keys")) {
            while (rs.next()) {
                all.append(rs.getString(1)).append(' ').append(rs.getString(2)).append('\n');
            }
        }
        return all.toString();
    }
}
