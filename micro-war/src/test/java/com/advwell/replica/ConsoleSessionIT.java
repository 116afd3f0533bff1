package com.advwell.replica;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator console in the replica WAR as built: sign-in with an API key, the session cookie authenticating the
 * API, CSRF on unsafe methods, sign-out, revocation, and the console's static files with their security headers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleSessionIT {

    private static final String ADMIN_KEY = System.getenv("ADMIN_API_KEY");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    URL base;

    @BeforeEach
    void onLoopback() throws Exception {
        base = new URL("http", "127.0.0.1", base.getPort(), base.getPath());
    }

    @Deployment(testable = false)
    static WebArchive replica() {
        return ReplicaWar.asBuilt();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(base.toURI().resolve(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        r.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        if (field != null) {
            assertThat(json(response).getString("field")).isEqualTo(field);
        }
    }

    /** A new client of a new tenant: {key, keyId}. */
    private String[] newClient(String role) throws Exception {
        String tenant = json(send(
                        "POST",
                        "api/tenants",
                        "{\"name\":\"console-" + UUID.randomUUID() + "\"}",
                        "Authorization",
                        "Bearer " + ADMIN_KEY))
                .getString("id");
        JsonObject issued = json(send(
                "POST",
                "api/tenants/" + tenant + "/clients",
                "{\"name\":\"console\",\"role\":\"" + role + "\"}",
                "Authorization",
                "Bearer " + ADMIN_KEY));
        return new String[] {issued.getString("key"), issued.getString("keyId")};
    }

    /** Signs in: {cookie value, csrf token}. */
    private String[] signIn(String key) throws Exception {
        HttpResponse<String> r = send("POST", "api/session", "{\"apiKey\":\"" + key + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String value = setCookie.substring("advwell_session=".length(), setCookie.indexOf(';'));
        return new String[] {value, json(r).getString("csrfToken")};
    }

    @Test
    void signInSetsAStrictHttpOnlyCookieThatAuthenticatesTheApi() throws Exception {
        String[] client = newClient("client");
        HttpResponse<String> r = send("POST", "api/session", "{\"apiKey\":\"" + client[0] + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("advwell_session=")
                .contains("; Path=/")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .doesNotContain("Secure")
                .doesNotContain(client[0]);
        JsonObject session = json(r);
        assertThat(session.getJsonObject("caller").getString("keyId")).isEqualTo(client[1]);
        assertThat(session.getJsonObject("caller").getString("role")).isEqualTo("client");
        assertThat(session.getString("csrfToken")).hasSizeGreaterThanOrEqualTo(22);
        Instant idle = Instant.parse(session.getString("idleExpiresAt"));
        Instant max = Instant.parse(session.getString("expiresAt"));
        assertThat(idle).isAfter(Instant.now().plusSeconds(60)).isBefore(max);

        String cookie = "advwell_session=" + setCookie.substring(16, setCookie.indexOf(';'));
        HttpResponse<String> me = send("GET", "api/me", null, "Cookie", cookie);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(json(me).getString("keyId")).isEqualTo(client[1]);
        HttpResponse<String> again = send("GET", "api/session", null, "Cookie", cookie);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).getString("csrfToken")).isEqualTo(session.getString("csrfToken"));
        // roles are the API's: a client's session cannot list tenants
        assertProblem(send("GET", "api/tenants", null, "Cookie", cookie), 403, null);

        HttpResponse<String> secure =
                send("POST", "api/session", "{\"apiKey\":\"" + client[0] + "\"}", "X-Forwarded-Proto", "https");
        assertThat(secure.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
    }

    @Test
    void everySignInRotatesTheSessionId() throws Exception {
        String[] client = newClient("client");
        String[] first = signIn(client[0]);
        HttpResponse<String> r = send(
                "POST", "api/session", "{\"apiKey\":\"" + client[0] + "\"}", "Cookie", "advwell_session=" + first[0]);
        assertThat(r.statusCode()).isEqualTo(201);
        String second = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(second).doesNotContain(first[0]);
        assertProblem(send("GET", "api/me", null, "Cookie", "advwell_session=" + first[0]), 401, null);
    }

    @Test
    void unsafeCallsWithTheCookieNeedTheCsrfToken() throws Exception {
        String[] client = newClient("client");
        String[] s = signIn(client[0]);
        String cookie = "advwell_session=" + s[0];
        HttpResponse<String> none = send("POST", "api/schedules", "{}", "Cookie", cookie);
        assertProblem(none, 403, null);
        assertThat(json(none).getString("detail")).contains("CSRF token is missing or wrong");
        assertProblem(send("POST", "api/schedules", "{}", "Cookie", cookie, "X-CSRF-Token", "wrong"), 403, null);
        assertProblem(send("DELETE", "api/session", null, "Cookie", cookie), 403, null);
        // with the token the request reaches the resource, which judges the (empty) body
        assertProblem(send("POST", "api/schedules", "{}", "Cookie", cookie, "X-CSRF-Token", s[1]), 400, null);
        // bearer calls need no token, as before
        assertThat(send("GET", "api/me", null, "Authorization", "Bearer " + client[0])
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        String[] s = signIn(newClient("operator")[0]);
        String cookie = "advwell_session=" + s[0];
        HttpResponse<String> out = send("DELETE", "api/session", null, "Cookie", cookie, "X-CSRF-Token", s[1]);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertProblem(send("GET", "api/me", null, "Cookie", cookie), 401, null);
        assertProblem(send("GET", "api/session", null, "Cookie", cookie), 401, null);
    }

    @Test
    void badAndMissingKeysAreRefusedNamingApiKey() throws Exception {
        HttpResponse<String> bad = send("POST", "api/session", "{\"apiKey\":\"aw_notARealKeyAtAllxxxxxxxxxxxx\"}");
        assertProblem(bad, 401, "apiKey");
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertProblem(send("POST", "api/session", "{}"), 400, "apiKey");
        assertProblem(send("POST", "api/session", "{\"apiKey\":\"  \"}"), 400, "apiKey");
        assertProblem(send("GET", "api/session", null), 401, null);
    }

    @Test
    void revokingTheKeyEndsItsSessions() throws Exception {
        String[] client = newClient("operator");
        String[] s = signIn(client[0]);
        String cookie = "advwell_session=" + s[0];
        assertThat(send("GET", "api/me", null, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "api/api-keys/" + client[1], null, "Authorization", "Bearer " + ADMIN_KEY)
                        .statusCode())
                .isEqualTo(200);
        assertProblem(send("GET", "api/me", null, "Cookie", cookie), 401, null);
    }

    @Test
    void theConsoleIsServedWithItsSecurityHeaders() throws Exception {
        HttpResponse<String> bare = send("GET", "console", null);
        assertThat(bare.statusCode()).isIn(301, 302, 303, 307, 308);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/console/");

        for (String path : List.of("console/", "console/index.html", "console/app.js", "console/app.css")) {
            HttpResponse<String> r = send("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .as(path)
                    .contains("default-src 'self'")
                    .contains("script-src 'self'")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline")
                    .doesNotContain("http");
            assertThat(r.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
        HttpResponse<String> page = send("GET", "console/", null);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("app.js").doesNotContain("<script>").doesNotContain("style=");
        assertThat(send("GET", "console/app.js", null)
                        .headers()
                        .firstValue("Content-Type")
                        .orElseThrow())
                .contains("javascript");
    }
}
