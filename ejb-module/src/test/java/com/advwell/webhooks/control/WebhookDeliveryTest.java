package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivers to a real HTTP server on 127.0.0.1, which the settings allow explicitly. */
class WebhookDeliveryTest {

    private static final String SECRET = "whsec-" + UUID.randomUUID();
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** What the sink saw of one request. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static HttpServer sink;
    private static ExecutorService sinkThreads;
    private static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private final WebhookSettings settings =
            new WebhookSettings(Optional.of(SECRET), Duration.ofSeconds(5), List.of(Cidr.parse("127.0.0.1/32")));
    private final WebhookDelivery delivery =
            new WebhookDelivery(settings, WebhookDelivery.newHttpClient(settings), CLOCK);

    @BeforeAll
    static void startSink() throws IOException {
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sinkThreads = Executors.newCachedThreadPool();
        sink.setExecutor(sinkThreads);
        sink.createContext("/ok", answer(200, Map.of(), ""));
        sink.createContext("/no-content", answer(204, Map.of(), null));
        sink.createContext("/fail", answer(500, Map.of(), "database\r\nis down"));
        sink.createContext("/busy", answer(429, Map.of("Retry-After", "7"), ""));
        sink.createContext("/later", answer(503, Map.of("Retry-After", "Thu, 02 Jan 2025 03:05:35 GMT"), ""));
        sink.createContext("/garbage-retry", answer(503, Map.of("Retry-After", "whenever"), ""));
        sink.createContext("/missing", answer(404, Map.of(), "no such hook"));
        sink.createContext("/huge-error", answer(400, Map.of(), "x".repeat(1 << 20)));
        sink.createContext("/moved", answer(302, Map.of("Location", "/ok"), ""));
        sink.createContext("/slow", exchange -> {
            record(exchange);
            sleep(3_000);
            respond(exchange, 200, Map.of(), "too late");
        });
        sink.createContext("/trickle", exchange -> {
            record(exchange);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write("tick\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sleep(100);
                }
            } catch (IOException clientGaveUp) {
                // expected: the delivery stops reading once it has the status
            }
        });
        sink.start();
    }

    @AfterAll
    static void stopSink() {
        sink.stop(0);
        sinkThreads.shutdownNow();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        received.clear();
    }

    private static HttpHandler answer(int status, Map<String, String> headers, String body) {
        return exchange -> {
            record(exchange);
            respond(exchange, status, headers, body);
        };
    }

    private static void record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) {
        try (exchange) {
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body == null ? -1 : bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException clientGaveUp) {
            // a client that timed out or stopped reading closes the connection under us
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static WebhookJob job(String path) {
        return job(path, Optional.empty());
    }

    private static WebhookJob job(String path, Optional<Duration> timeout) {
        URI url = URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + path);
        return new WebhookJob(url, Json.createObjectBuilder().add("order", 42).add("name", "ação").build(),
                Map.of("X-Tenant", "acme"), timeout);
    }

    @Test
    void deliversASignedJsonPost() throws InterruptedException {
        DeliveryOutcome outcome = delivery.deliver(job("/ok"), "job-123", 3);

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                d -> assertThat(d.status()).isEqualTo(200));
        Received request = received.take();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-AdvWell-Job-Id")).isEqualTo("job-123");
        assertThat(request.header("X-AdvWell-Attempt")).isEqualTo("3");
        assertThat(request.header("X-AdvWell-Timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(request.header("X-Tenant")).isEqualTo("acme");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"order\":42,\"name\":\"ação\"}");

        String timestamp = request.header("X-AdvWell-Timestamp");
        String signature = request.header("X-AdvWell-Signature");
        assertThat(signature).matches("v1=[0-9a-f]{64}");
        assertThat(WebhookDelivery.verify(SECRET, timestamp, request.body(), signature)).isTrue();
        assertThat(WebhookDelivery.verify("another-secret", timestamp, request.body(), signature)).isFalse();
        assertThat(WebhookDelivery.verify(SECRET, "1735787046", request.body(), signature)).as("timestamp is signed")
                .isFalse();
        byte[] tampered = request.body().clone();
        tampered[2] ^= 1;
        assertThat(WebhookDelivery.verify(SECRET, timestamp, tampered, signature)).isFalse();
        assertThat(WebhookDelivery.verify(SECRET, timestamp, request.body(), "v1=00," + signature))
                .as("any listed signature may match").isTrue();
    }

    @Test
    void signatureIsTheDocumentedHmac() {
        // RFC 4231 test case 2 (key "Jefe") over "1.what do ya want for nothing?" computed independently
        String expected = "v1=" + java.util.HexFormat.of().formatHex(hmac("Jefe", "1.what do ya want for nothing?"));
        assertThat(WebhookDelivery.sign("Jefe", "1", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(expected);
    }

    private static byte[] hmac(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anyTwoHundredIsDelivered() {
        assertThat(delivery.deliver(job("/no-content"), "j", 1)).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                d -> assertThat(d.status()).isEqualTo(204));
    }

    @Test
    void serverErrorsAreRetriedWithTheStartOfTheBody() {
        assertThat(delivery.deliver(job("/fail"), "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 500: database is down", Optional.empty()));
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() {
        assertThat(delivery.deliver(job("/busy"), "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429", Optional.of(Duration.ofSeconds(7))));
        assertThat(delivery.deliver(job("/later"), "j", 1)).as("HTTP-date, 90 s after the clock")
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 503", Optional.of(Duration.ofSeconds(90))));
        assertThat(delivery.deliver(job("/garbage-retry"), "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 503", Optional.empty()));
    }

    @Test
    void clientErrorsAreRejected() {
        DeliveryOutcome outcome = delivery.deliver(job("/missing"), "j", 1);
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Rejected("HTTP 404: no such hook"));
        assertThat(outcome.toString()).doesNotContain(SECRET);
    }

    @Test
    void onlyTheStartOfAHugeBodyIsKept() {
        DeliveryOutcome outcome = delivery.deliver(job("/huge-error"), "j", 1);
        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
                r -> assertThat(r.reason()).startsWith("HTTP 400: xxx").hasSize("HTTP 400: ".length() + 200 + 3));
    }

    @Test
    void redirectsAreRejectedNotFollowed() throws InterruptedException {
        assertThat(delivery.deliver(job("/moved"), "j", 1)).isInstanceOfSatisfying(DeliveryOutcome.Rejected.class,
                r -> assertThat(r.reason()).startsWith("HTTP 302: redirects are not followed"));
        assertThat(received.take().path()).isEqualTo("/moved");
        assertThat(received.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).as("/ok never called").isNull();
    }

    @Test
    void aSlowReceiverIsRetriedAfterTheJobsTimeout() {
        long start = System.nanoTime();
        DeliveryOutcome outcome = delivery.deliver(job("/slow", Optional.of(Duration.ofMillis(300))), "j", 1);
        assertThat(outcome).isEqualTo(new DeliveryOutcome.RetryLater("no response within 300 ms", Optional.empty()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aJobCannotAskForMoreThanTheOperatorsTimeout() {
        WebhookSettings strict = new WebhookSettings(Optional.of(SECRET), Duration.ofMillis(400),
                settings.allowedDestinations());
        WebhookDelivery strictDelivery = new WebhookDelivery(strict, WebhookDelivery.newHttpClient(strict), CLOCK);
        assertThat(strictDelivery.deliver(job("/slow", Optional.of(Duration.ofSeconds(30))), "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("no response within 400 ms", Optional.empty()));
    }

    @Test
    void aBodyThatTricklesAfterTheStatusStillCountsAsDelivered() {
        assertThat(delivery.deliver(job("/trickle", Optional.of(Duration.ofMillis(500))), "j", 1))
                .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class, d -> assertThat(d.status()).isEqualTo(200));
    }

    @Test
    void aClosedPortIsRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        WebhookJob closed = new WebhookJob(URI.create("http://127.0.0.1:" + port + "/"),
                Json.createObjectBuilder().build(), Map.of(), Optional.empty());
        assertThat(delivery.deliver(closed, "j", 1)).isEqualTo(
                new DeliveryOutcome.RetryLater("connection refused or destination unreachable", Optional.empty()));
    }

    @Test
    void theGuardIsAskedAgainAtDelivery() {
        WebhookSettings noLoopback = new WebhookSettings(Optional.of(SECRET), Duration.ofSeconds(5), List.of());
        WebhookDelivery guarded = new WebhookDelivery(noLoopback, WebhookDelivery.newHttpClient(noLoopback), CLOCK);
        assertThat(guarded.deliver(job("/ok"), "j", 1)).isEqualTo(new DeliveryOutcome.Rejected(
                "payload.url: destination 127.0.0.1 is a loopback address; allow it with "
                        + "WEBHOOK_ALLOWED_DESTINATIONS"));
        assertThat(received).isEmpty();
    }

    @Test
    void nothingIsSentUnsigned() {
        WebhookSettings noSecret = new WebhookSettings(Optional.empty(), Duration.ofSeconds(5),
                settings.allowedDestinations());
        WebhookDelivery unsigned = new WebhookDelivery(noSecret, WebhookDelivery.newHttpClient(noSecret), CLOCK);
        assertThat(unsigned.deliver(job("/ok"), "j", 1)).isInstanceOfSatisfying(DeliveryOutcome.RetryLater.class,
                r -> assertThat(r.reason()).contains("http jobs need WEBHOOK_SIGNING_SECRET"));
        assertThat(received).isEmpty();
    }

    @Test
    void aClientThatFollowsRedirectsIsRefused() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> new WebhookDelivery(settings, following, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
