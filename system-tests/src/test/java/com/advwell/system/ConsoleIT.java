package com.advwell.system;

import static com.advwell.system.ConsoleBrowser.testId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The operator console (issue 13) in a real browser: headless Chromium from Debian's packages, driven by Selenium,
 * against a two-replica local cluster started by {@code scripts/cluster}. Each scenario prints its time
 * ({@code [console] <scenario> <ms>}); each page is saved as a screenshot under {@code target/console-screenshots/}
 * and checked with axe-core (0 serious or critical violations; the others are printed). Elements are found only by
 * the {@code data-testid} hooks the console promises its tests, never by styling classes, and every wait is explicit.
 */
@Tag("console")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String P = "[console]";
    private static final int REPLICAS = 2;
    private static final String COOKIE = "advwell_session";

    private static LocalCluster cluster;
    private static WebhookReceiver receiver;
    private static ConsoleBrowser browser;
    private static String adminKey;
    private static Account tenantA;
    private static Account tenantB;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, Long> times = new LinkedHashMap<>();
    private static final Map<String, String> axeResults = new LinkedHashMap<>();
    private long started;

    /** A tenant with one API client of role {@code client}. */
    record Account(String tenantId, String name, String key) {}

    @BeforeAll
    static void up() throws Exception {
        Path repo = Path.of(System.getProperty("advwell.repo", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = Path.of(System.getProperty("advwell.it.workdir", "target")).toAbsolutePath();
        Path axe = installAxe(repo.resolve("system-tests/src/test/node/axe"));

        receiver = new WebhookReceiver();
        cluster = new LocalCluster("console-it").bootingQuickly();
        cluster.extraEnv.put("REPLICAS", String.valueOf(REPLICAS));
        long t = System.nanoTime();
        cluster.run("up");
        System.out.printf(
                "%s %d replicas + Redis/Sentinel ready in %.1f s%n", P, REPLICAS, (System.nanoTime() - t) / 1e9);
        adminKey = cluster.adminKey();
        tenantA = account("console-a-" + RUN);
        tenantB = account("console-b-" + RUN);

        browser = new ConsoleBrowser(axe, work.resolve("console-screenshots"));
        browser.useReplica(base(1));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
            times.forEach((scenario, ms) -> System.out.printf("%s summary %-62s %6d ms%n", P, scenario, ms));
            axeResults.forEach((page, result) -> System.out.printf("%s axe %-12s %s%n", P, page, result));
        } finally {
            try {
                if (receiver != null) {
                    receiver.close();
                }
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
            }
        }
    }

    @BeforeEach
    void start() {
        started = System.nanoTime();
    }

    @AfterEach
    void time(TestInfo test) {
        long ms = ConsoleBrowser.millisSince(started);
        String scenario = test.getTestMethod().orElseThrow().getName();
        times.put(scenario, ms);
        System.out.printf("%s %s %d ms%n", P, scenario, ms);
    }

    // --- scenarios ------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void signInWithAnApiKeyGivesAnHttpOnlyStrictSessionAndNeverStoresTheKey() throws Exception {
        browser.forgetSession();
        browser.driver.get(base(1) + "/console");
        browser.awaitPage("sign-in");
        page("sign-in");

        browser.await(testId("sign-in-key")).sendKeys("aw_not-a-key-" + RUN);
        browser.click(testId("sign-in-submit"));
        assertThat(browser.textOf(testId("sign-in-error")))
                .as("the sign-in error")
                .isNotBlank();
        assertThat(browser.sessionCookie()).as("no session after a bad key").isNull();

        signIn(adminKey);
        Cookie cookie = browser.sessionCookie();
        assertThat(cookie).as("the session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(cookie.getSameSite()).as("SameSite").isEqualToIgnoringCase("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        String seenByScripts = String.valueOf(
                browser.js(
                        "return JSON.stringify({url: location.href, cookies:"
                                + " document.cookie, local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)});"));
        assertThat(seenByScripts)
                .as("what the page's scripts can see")
                .doesNotContain(adminKey)
                .doesNotContain(COOKIE);
    }

    @Test
    @Order(2)
    void theOverviewShowsEveryMemberAndTheLeader() throws Exception {
        ensureSignedIn(adminKey);
        JsonObject clusterView = json(expect(200, cluster.get(1, "/api/cluster", adminKey)));
        browser.open("/overview", "overview");
        for (JsonValue m : clusterView.getJsonArray("members")) {
            String id = m.asJsonObject().getString("instanceId");
            browser.await(By.cssSelector("[data-testid='members'] [data-testid='member-" + id + "']"));
        }
        String leader = clusterView.getString("leader");
        browser.until(
                "the leader " + leader, ExpectedConditions.textToBePresentInElementLocated(testId("leader"), leader));
        page("overview");
        Path phone = browser.phoneScreenshot("overview-phone", "overview");
        System.out.printf("%s screenshot %s%n", P, phone);
    }

    @Test
    @Order(3)
    void aSessionMadeOnOneReplicaWorksOnEveryOtherAndASecondSignInRotatesIt() throws Exception {
        Session session = apiSession(1, adminKey, null);
        for (int i = 1; i <= REPLICAS; i++) {
            JsonObject seen = json(expect(200, withCookie(i, "GET", "/api/session", session.cookie(), null)));
            assertThat(seen.getJsonObject("caller").getString("role"))
                    .as("replica-%d's caller", i)
                    .isEqualTo("admin");
            assertThat(seen.getString("csrfToken"))
                    .as("replica-%d's CSRF token", i)
                    .isEqualTo(session.csrf());
            expect(200, withCookie(i, "GET", "/api/me", session.cookie(), null));
        }
        // a state change with the cookie and its CSRF token, on the replica that did not make the session
        expect(200, withCookie(REPLICAS, "POST", "/api/diagnostics/redis", session.cookie(), session.csrf()));

        // signing in again with the first session's cookie gives a new id, and the first session ends everywhere
        Session second = apiSession(REPLICAS, adminKey, session.cookie());
        assertThat(second.cookie()).as("the new session id").isNotEqualTo(session.cookie());
        for (int i = 1; i <= REPLICAS; i++) {
            assertThat(withCookie(i, "GET", "/api/session", session.cookie(), null)
                            .statusCode())
                    .as("replica-%d: the first session after the second sign-in", i)
                    .isEqualTo(401);
            expect(200, withCookie(i, "GET", "/api/session", second.cookie(), null));
        }
        expect(204, withCookie(1, "DELETE", "/api/session", second.cookie(), second.csrf()));
        for (int i = 1; i <= REPLICAS; i++) {
            assertThat(withCookie(i, "GET", "/api/me", second.cookie(), null).statusCode())
                    .as("replica-%d after DELETE /api/session on replica-1", i)
                    .isEqualTo(401);
        }
    }

    @Test
    @Order(4)
    void aStateChangeWithTheCookieButWithoutTheCsrfTokenIsRefused() throws Exception {
        Session session = apiSession(1, adminKey, null);
        for (String token : new String[] {null, "wrong-" + RUN}) {
            HttpResponse<String> refused =
                    withCookie(REPLICAS, "POST", "/api/queues/probe/pause", session.cookie(), token);
            assertThat(refused.statusCode())
                    .as("pause with CSRF token %s: %s", token, refused.body())
                    .isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json(refused).getString("detail")).containsIgnoringCase("csrf");
        }
        assertThat(json(expect(200, cluster.get(1, "/api/queues/probe", adminKey)))
                        .getBoolean("paused"))
                .as("the queue after refused pauses")
                .isFalse();
        assertThat(withCookie(1, "DELETE", "/api/session", session.cookie(), null)
                        .statusCode())
                .as("sign-out without the token")
                .isEqualTo(403);
        expect(200, withCookie(REPLICAS, "GET", "/api/session", session.cookie(), null));
        // the same call with the token goes through: the refusal was the missing token, nothing else
        expect(200, withCookie(REPLICAS, "POST", "/api/queues/probe/pause", session.cookie(), session.csrf()));
        expect(200, withCookie(1, "POST", "/api/queues/probe/resume", session.cookie(), session.csrf()));
        expect(204, withCookie(1, "DELETE", "/api/session", session.cookie(), session.csrf()));
    }

    @Test
    @Order(5)
    void aJobAddedThroughTheApiShowsUpAndMovesFromWaitingToCompletedWithoutAReload() throws Exception {
        ensureSignedIn(adminKey);
        String id = "console-live-" + RUN;
        // the queue is paused while the job is added, so "waiting" is seen for sure, not only by a lucky poll
        expect(200, post(1, "/api/queues/probe/pause", ""));
        try {
            browser.open("/jobs/probe?state=waiting", "jobs");
            browser.js("window.consoleItSamePage = true;");
            expect(
                    201,
                    post(
                            2,
                            "/api/queues/probe/jobs",
                            "{\"id\":\"" + id + "\",\"type\":\"probe\"," + "\"payload\":{\"sleepMs\":500}}"));
            browser.await(By.cssSelector("[data-testid='job-" + id + "'][data-state='waiting']"));
            page("jobs");
            browser.route("/jobs/probe/" + id, "job");
            browser.until(
                    "job-state waiting",
                    ExpectedConditions.textToBePresentInElementLocated(testId("job-state"), "waiting"));
        } finally {
            expect(200, post(1, "/api/queues/probe/resume", ""));
        }
        browser.until(
                "job-state completed",
                ExpectedConditions.textToBePresentInElementLocated(testId("job-state"), "completed"));
        assertThat(browser.js("return window.consoleItSamePage === true;"))
                .as("the page was not reloaded")
                .isEqualTo(true);
        assertThat(json(expect(200, cluster.get(1, "/api/queues/probe/jobs/" + id, adminKey)))
                        .getString("state"))
                .isEqualTo("completed");
        page("job");
    }

    @Test
    @Order(6)
    void aQueueIsPausedAndResumedFromTheConsole() throws Exception {
        ensureSignedIn(adminKey);
        browser.open("/queues", "queues");
        browser.await(testId("queue-probe"));
        for (String state : List.of("waiting", "active", "delayed", "completed", "failed")) {
            // Found from the page each time: the row is re-rendered by every live update.
            assertThat(browser.driver.findElements(
                            By.cssSelector("[data-testid='queue-probe'] [data-testid='count-" + state + "']")))
                    .as("count-%s of queue probe", state)
                    .hasSize(1);
        }
        page("queues");

        browser.open("/queues/probe", "queue");
        browser.until("running", ExpectedConditions.textToBePresentInElementLocated(testId("queue-paused"), "running"));
        browser.clickConfirmingIfAsked(
                testId("queue-pause"),
                "paused",
                ExpectedConditions.textToBePresentInElementLocated(testId("queue-paused"), "paused"));
        assertThat(json(expect(200, cluster.get(2, "/api/queues/probe", adminKey)))
                        .getBoolean("paused"))
                .as("paused, as replica-2 sees it")
                .isTrue();
        page("queue");
        browser.clickConfirmingIfAsked(
                testId("queue-resume"),
                "running",
                ExpectedConditions.textToBePresentInElementLocated(testId("queue-paused"), "running"));
        assertThat(json(expect(200, cluster.get(2, "/api/queues/probe", adminKey)))
                        .getBoolean("paused"))
                .as("resumed, as replica-2 sees it")
                .isFalse();
    }

    @Test
    @Order(7)
    void aFailingWebhookAppearsUnderFailedDeliveriesAndIsRetriedFromTheConsole() throws Exception {
        ensureSignedIn(adminKey);
        String id = "console-hook-" + RUN;
        receiver.failing.add(id);
        expect(201, post(1, "/api/queues/webhooks/jobs", """
                {"id":"%s","type":"http","attempts":1,
                 "payload":{"url":"http://127.0.0.1:%d/jobs/%s","body":{"event":"console.test"}}}""".formatted(id, receiver.port(), id)));
        await("the delivery failed")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "failed"
                        .equals(json(cluster.get(1, "/api/queues/webhooks/jobs/" + id, adminKey))
                                .getString("state")));
        assertThat(receiver.refused.get()).as("500s the receiver answered").isGreaterThanOrEqualTo(1);

        browser.open("/webhooks", "webhooks");
        By row = testId("delivery-webhooks-" + id);
        assertThat(browser.textOf(row)).as("the failed delivery's row").contains("500");
        page("webhooks");

        receiver.failing.remove(id);
        browser.clickConfirmingIfAsked(
                By.cssSelector("[data-testid='delivery-webhooks-" + id + "'] " + "[data-testid='delivery-retry']"),
                "the retried delivery",
                driver -> receiver.jobs.contains(id));
        await("the retried job completed")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "completed"
                        .equals(json(cluster.get(2, "/api/queues/webhooks/jobs/" + id, adminKey))
                                .getString("state")));
        browser.until(
                "the delivered job leaves the failed deliveries", ExpectedConditions.invisibilityOfElementLocated(row));
    }

    @Test
    @Order(8)
    void aSchedulesNextFireTimesAndHistoryShow() throws Exception {
        ensureSignedIn(adminKey);
        String name = "console-heartbeat-" + RUN;
        String id = json(expect(201, post(1, "/api/schedules", """
                {"name":"%s","cron":"*/2 * * * * ?","timeZone":"Asia/Tokyo","queue":"webhooks",
                 "payload":{"url":"http://127.0.0.1:%d/schedules/%s","body":{"event":"heartbeat"}}}""".formatted(name, receiver.port(), name))))
                .getString("id");
        try {
            browser.open("/schedules", "schedules");
            assertThat(browser.textOf(testId("schedule-" + id))).contains(name);
            page("schedules");

            browser.open("/schedules/" + id, "schedule");
            browser.await(testId("next-fires"));
            assertThat(browser.driver.findElements(By.cssSelector("[data-testid='next-fires'] li")))
                    .as("next fire times")
                    .isNotEmpty();
            assertThat(browser.bodyText()).as("the schedule's zone").contains("Asia/Tokyo");
            browser.until(
                    "a run in the history",
                    driver -> driver.findElements(By.cssSelector("[data-testid='runs'] tbody tr"))
                                    .size()
                            >= 1);
            int before = browser.driver
                    .findElements(By.cssSelector("[data-testid='runs'] tbody tr"))
                    .size();
            int delivered = receiver.scheduleDeliveries(name);
            browser.clickConfirmingIfAsked(
                    testId("schedule-run-now"), "a RUN_NOW run", driver -> runs(id).contains("RUN_NOW"));
            browser.until(
                    "the run-now run in the history",
                    driver -> driver.findElement(testId("runs"))
                            .getText()
                            .toUpperCase()
                            .replace(' ', '_')
                            .contains("RUN_NOW"));
            assertThat(browser.driver
                            .findElements(By.cssSelector("[data-testid='runs'] tbody tr"))
                            .size())
                    .isGreaterThanOrEqualTo(Math.min(before + 1, 2));
            await("the schedule delivered")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.scheduleDeliveries(name) > delivered);
            page("schedule");
        } finally {
            expect(
                    204,
                    cluster.send(
                            HttpRequest.newBuilder(cluster.replica(1, "/api/schedules/" + id))
                                    .DELETE(),
                            adminKey));
        }
    }

    @Test
    @Order(9)
    void theAccountsPageListsTheTenants() throws Exception {
        ensureSignedIn(adminKey);
        browser.open("/accounts", "accounts");
        browser.until("both tenants", driver -> {
            String text = driver.findElement(testId("page-accounts")).getText();
            return text.contains(tenantA.name()) && text.contains(tenantB.name());
        });
        page("accounts");
    }

    @Test
    @Order(10)
    void aClientCannotSeeAnotherTenantsJobByEditingTheUrl() throws Exception {
        String id = "console-secret-" + RUN;
        String secret = "only-for-tenant-b-" + RUN;
        expect(
                201,
                send(
                        1,
                        "POST",
                        "/api/queues/probe/jobs",
                        tenantB.key(),
                        "{\"id\":\"" + id + "\",\"type\":\"probe\",\"payload\":{\"secret\":\"" + secret + "\"}}"));
        signIn(tenantA.key());
        assertThat(browser.textOf(testId("whoami"))).as("who is signed in").isNotBlank();

        browser.open("/jobs/probe/" + id, "job");
        browser.until(
                "an error or empty state for another tenant's job",
                ExpectedConditions.or(
                        ExpectedConditions.visibilityOfElementLocated(testId("error")),
                        ExpectedConditions.visibilityOfElementLocated(testId("empty"))));
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);
        browser.screenshot("job-of-another-tenant");
        browser.open("/jobs/probe/" + id + "?tenant=" + tenantB.tenantId(), "job");
        browser.until("an error for naming tenant B", ExpectedConditions.visibilityOfElementLocated(testId("error")));
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);
        for (String state : List.of("waiting", "completed")) {
            browser.open("/jobs/probe?state=" + state, "jobs");
            assertThat(browser.driver.findElements(testId("job-" + id)))
                    .as("tenant B's job in A's %s list", state)
                    .isEmpty();
            assertThat(browser.driver.getPageSource()).doesNotContain(secret);
        }
        String cookie = browser.sessionCookie().getValue();
        assertThat(withCookie(2, "GET", "/api/queues/probe/jobs/" + id, cookie, null)
                        .statusCode())
                .as("tenant B's job through A's session")
                .isEqualTo(404);
        assertThat(withCookie(2, "GET", "/api/queues/probe/jobs/" + id + "?tenant=" + tenantB.tenantId(), cookie, null)
                        .statusCode())
                .as("naming tenant B")
                .isIn(400, 403, 404);
        assertThat(send(1, "GET", "/api/queues/probe/jobs/" + id, tenantB.key(), null)
                        .body())
                .contains(secret);
    }

    @Test
    @Order(11)
    void signOutEndsTheSessionOnEveryReplica() throws Exception {
        signIn(adminKey);
        String cookie = browser.sessionCookie().getValue();
        for (int i = 1; i <= REPLICAS; i++) {
            expect(200, withCookie(i, "GET", "/api/session", cookie, null));
        }
        browser.click(testId("sign-out"));
        browser.awaitPage("sign-in");
        browser.until("the cookie cleared", driver -> driver.manage().getCookieNamed(COOKIE) == null);
        for (int i = 1; i <= REPLICAS; i++) {
            for (String path : List.of("/api/session", "/api/me", "/api/queues")) {
                HttpResponse<String> after = withCookie(i, "GET", path, cookie, null);
                assertThat(after.statusCode())
                        .as("replica-%d %s with the signed-out cookie", i, path)
                        .isEqualTo(401);
                assertThat(after.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            }
        }
        browser.driver.get(base(2) + "/console/#/overview");
        browser.awaitPage("sign-in");
    }

    @Test
    @Order(12)
    void everyReplicaServesTheConsoleWithItsSecurityHeaders() throws Exception {
        for (int i = 1; i <= REPLICAS; i++) {
            for (String path : List.of("/console/", "/console/index.html", "/console/app.js", "/console/app.css")) {
                HttpResponse<String> r = expect(200, cluster.get(i, path, null));
                String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
                assertThat(csp)
                        .as("replica-%d %s CSP", i, path)
                        .contains("default-src 'self'")
                        .contains("script-src 'self'")
                        .contains("frame-ancestors 'none'")
                        .doesNotContain("unsafe-inline")
                        .doesNotContain("unsafe-eval")
                        .doesNotContain("http:")
                        .doesNotContain("https:");
                assertThat(r.headers().firstValue("X-Content-Type-Options"))
                        .as("replica-%d %s", i, path)
                        .hasValue("nosniff");
                assertThat(r.headers().firstValue("Referrer-Policy"))
                        .as("replica-%d %s", i, path)
                        .hasValue("no-referrer");
                if (!path.endsWith(".js") && !path.endsWith(".css")) {
                    assertThat(r.headers().firstValue("Cache-Control"))
                            .as("replica-%d %s", i, path)
                            .hasValue("no-store");
                }
            }
        }
    }

    // --- the browser ----------------------------------------------------------------------------------------------

    private static void signIn(String key) {
        browser.forgetSession();
        browser.driver.get(browser.base() + "/console/");
        browser.awaitPage("sign-in");
        WebElement input = browser.await(testId("sign-in-key"));
        input.clear();
        input.sendKeys(key);
        browser.click(testId("sign-in-submit"));
        browser.await(testId("whoami"));
    }

    /** Signs in unless the browser holds a session that the API still accepts. */
    private static void ensureSignedIn(String key) throws Exception {
        Cookie cookie = browser.sessionCookie();
        if (cookie == null
                || withCookie(1, "GET", "/api/session", cookie.getValue(), null).statusCode() != 200) {
            signIn(key);
        }
    }

    /** Screenshot and axe-core for the page on screen: 0 serious or critical violations, the others printed. */
    private static void page(String name) throws IOException {
        Path shot = browser.screenshot(name);
        List<ConsoleBrowser.Violation> violations = browser.axe();
        List<String> blocking = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (ConsoleBrowser.Violation v : violations) {
            String line = v.impact() + " " + v.id() + " (" + v.nodes() + " nodes): " + v.help();
            (v.blocking() ? blocking : others).add(line);
        }
        axeResults.put(
                name,
                blocking.size() + " serious/critical, " + others.size() + " other"
                        + (others.isEmpty() ? "" : ": " + String.join("; ", others)));
        System.out.printf("%s page %s: screenshot %s, axe %s%n", P, name, shot, axeResults.get(name));
        assertThat(blocking)
                .as("axe-core serious or critical violations on %s", name)
                .isEmpty();
    }

    // --- the API --------------------------------------------------------------------------------------------------

    private static String base(int replica) {
        return "http://127.0.0.1:" + (cluster.httpBase + replica);
    }

    private static Account account(String name) throws Exception {
        String tenant = json(expect(201, post(1, "/api/tenants", "{\"name\":\"" + name + "\"}")))
                .getString("id");
        String key = json(expect(
                        201,
                        post(
                                1,
                                "/api/tenants/" + tenant + "/clients",
                                "{\"name\":\"" + name + "-client\",\"role\":\"client\"}")))
                .getString("key");
        return new Account(tenant, name, key);
    }

    private static HttpResponse<String> post(int replica, String path, String body) throws Exception {
        return send(replica, "POST", path, adminKey, body);
    }

    private static HttpResponse<String> send(int replica, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.replica(replica, path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return cluster.send(request, key);
    }

    /** A request as the browser would make it: the session cookie, and the CSRF header when a token is given. */
    private static HttpResponse<String> withCookie(int replica, String method, String path, String cookie, String csrf)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.replica(replica, path))
                .header("Cookie", COOKIE + "=" + cookie)
                .method(
                        method,
                        "POST".equals(method)
                                ? HttpRequest.BodyPublishers.ofString("")
                                : HttpRequest.BodyPublishers.noBody());
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return cluster.send(request, null);
    }

    /** A console session made through the API (as the sign-in page makes it): the cookie's value and the CSRF token. */
    record Session(String cookie, String csrf) {}

    private static Session apiSession(int replica, String key, String previousCookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.replica(replica, "/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + key + "\"}"));
        if (previousCookie != null) {
            request.header("Cookie", COOKIE + "=" + previousCookie);
        }
        HttpResponse<String> created = expect(201, cluster.send(request, null));
        String header = created.headers().allValues("Set-Cookie").stream()
                .filter(h -> h.startsWith(COOKIE + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + COOKIE + " cookie: " + created.headers()));
        assertThat(header)
                .as("Set-Cookie")
                .containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict")
                .containsIgnoringCase("Path=/");
        return new Session(setCookie(created), json(created).getString("csrfToken"));
    }

    private static String setCookie(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(COOKIE + "=")) {
                String value = header.substring(COOKIE.length() + 1).split(";", 2)[0];
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        return null;
    }

    /** The schedule's run history as the API gives it (for a browser wait, which cannot throw checked exceptions). */
    private static String runs(String scheduleId) {
        try {
            return expect(200, cluster.get(1, "/api/schedules/" + scheduleId + "/runs", adminKey))
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertThat(r.statusCode())
                .as("%s %s: %s", r.request().method(), r.uri(), r.body())
                .isEqualTo(status);
        return r;
    }

    private static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    /** {@code npm ci} of the committed package-lock.json when axe-core is missing; returns axe.min.js. */
    private static Path installAxe(Path dir) throws Exception {
        Path axe = dir.resolve("node_modules/axe-core/axe.min.js");
        if (!Files.isRegularFile(axe)) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(10, TimeUnit.MINUTES) && npm.exitValue() == 0)
                    .as("npm ci in %s (scripts/test installs node and npm):%n%s", dir, out)
                    .isTrue();
        }
        assertThat(axe).isRegularFile();
        return axe;
    }
}
