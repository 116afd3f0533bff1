package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private static final String SECRET_TEXT = TestSecrets.randomWhsec();
    private static final SigningSecret SECRET = SigningSecret.parse("WEBHOOK_SIGNING_SECRET", SECRET_TEXT);
    private static final String MSG = "msg_0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** What the sink saw of one request. */
    record Received(
            String method, String path, Map<String, List<String>> headers, byte[] body, InetSocketAddress remote) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private static HttpServer sink;
    private static ExecutorService sinkThreads;
    private static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private final WebhookSettings settings =
            new WebhookSettings(Optional.of(SECRET), Duration.ofSeconds(5), List.of(Cidr.parse("127.0.0.1/32")));
    private final WebhookDelivery delivery = new WebhookDelivery(settings, CLOCK);

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
        received.add(new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()),
                body,
                exchange.getRemoteAddress()));
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
        return new WebhookJob(
                url,
                Json.createObjectBuilder().add("order", 42).add("name", "ação").build(),
                Map.of("X-Tenant", "acme"),
                timeout);
    }

    @Test
    void deliversAJsonPostSignedTheStandardWebhooksWay() throws InterruptedException {
        DeliveryOutcome outcome = delivery.deliver(job("/ok"), MSG, "job-123", 3);

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Delivered.class,
                        d -> assertThat(d.status()).isEqualTo(200));
        Received request = received.take();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("webhook-id")).isEqualTo(MSG);
        assertThat(request.header("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(request.header("X-AdvWell-Attempt")).isEqualTo("3");
        assertThat(request.header("X-AdvWell-Job-Id")).isEqualTo("job-123");
        assertThat(request.header("X-Tenant")).isEqualTo("acme");
        assertThat(request.header("X-AdvWell-Signature"))
                .as("the old scheme is gone")
                .isNull();
        assertThat(request.header("X-AdvWell-Timestamp")).isNull();
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"order\":42,\"name\":\"ação\"}");

        String timestamp = request.header("webhook-timestamp");
        String signature = request.header("webhook-signature");
        assertThat(signature).as("one key, one signature").matches("v1,[A-Za-z0-9+/]{43}=");
        assertThat(WebhookDelivery.verify(SECRET, MSG, timestamp, request.body(), signature))
                .isTrue();
        assertThat(WebhookDelivery.verify(TestSecrets.random(), MSG, timestamp, request.body(), signature))
                .isFalse();
        assertThat(WebhookDelivery.verify(SECRET, MSG, "1735787046", request.body(), signature))
                .as("timestamp is signed")
                .isFalse();
        assertThat(WebhookDelivery.verify(SECRET, "msg_other", timestamp, request.body(), signature))
                .as("id is signed")
                .isFalse();
        byte[] tampered = request.body().clone();
        tampered[2] ^= 1;
        assertThat(WebhookDelivery.verify(SECRET, MSG, timestamp, tampered, signature))
                .isFalse();
        assertThat(WebhookDelivery.verify(SECRET, MSG, timestamp, request.body(), "v1,AAAA " + signature))
                .as("any listed signature may match")
                .isTrue();
    }

    @Test
    void duringARotationBothSecretsSign() throws InterruptedException {
        SigningSecret previous = TestSecrets.random();
        WebhookSettings rotating = new WebhookSettings(
                Optional.of(SECRET), Optional.of(previous), Duration.ofSeconds(5), settings.allowedDestinations());
        WebhookDelivery both = new WebhookDelivery(rotating, CLOCK);

        assertThat(both.deliver(job("/ok"), MSG, "j", 1)).isInstanceOf(DeliveryOutcome.Delivered.class);
        Received request = received.take();
        String signature = request.header("webhook-signature");
        String timestamp = request.header("webhook-timestamp");
        assertThat(signature).matches("v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=");
        assertThat(signature.split(" ")[0])
                .as("the current secret's first")
                .isEqualTo(WebhookDelivery.signature(SECRET, MSG, timestamp, request.body()));
        assertThat(WebhookDelivery.verify(SECRET, MSG, timestamp, request.body(), signature))
                .isTrue();
        assertThat(WebhookDelivery.verify(previous, MSG, timestamp, request.body(), signature))
                .isTrue();
        assertThat(WebhookDelivery.verify(TestSecrets.random(), MSG, timestamp, request.body(), signature))
                .isFalse();
    }

    /**
     * The published vector of the standardwebhooks libraries (their tests, and what
     * {@code new Webhook(secret).sign(id, new Date(1614265330000), payload)} of the npm package 1.1.1 answers).
     */
    @Test
    void signatureMatchesTheStandardWebhooksVector() {
        SigningSecret secret = SigningSecret.parse("S", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] payload = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookDelivery.sign(List.of(secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", payload))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void messageIdsIdentifyOneJob() {
        String id = WebhookDelivery.messageId("tenant-a", "webhooks", "order-1", 1_700_000_000_000L);
        assertThat(id)
                .matches("msg_[0-9a-f]{32}")
                .isEqualTo(WebhookDelivery.messageId("tenant-a", "webhooks", "order-1", 1_700_000_000_000L));
        assertThat(WebhookDelivery.messageId("tenant-b", "webhooks", "order-1", 1_700_000_000_000L))
                .as("another tenant's job with the same client id")
                .isNotEqualTo(id);
        assertThat(WebhookDelivery.messageId(null, "webhooks", "order-1", 1_700_000_000_000L))
                .as("a system job")
                .isNotEqualTo(id);
        assertThat(WebhookDelivery.messageId("tenant-a", "webhooks", "order-1", 1_700_000_000_001L))
                .as("the id reused after retention deleted the first job")
                .isNotEqualTo(id);
        assertThat(WebhookDelivery.messageId("tenant-a", "webhooks2", "order-1", 1_700_000_000_000L))
                .isNotEqualTo(id);
    }

    @Test
    void anyTwoHundredIsDelivered() {
        assertThat(delivery.deliver(job("/no-content"), MSG, "j", 1))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Delivered.class,
                        d -> assertThat(d.status()).isEqualTo(204));
    }

    @Test
    void serverErrorsAreRetriedWithTheStartOfTheBody() {
        assertThat(delivery.deliver(job("/fail"), MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 500: database is down", Optional.empty()));
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() {
        assertThat(delivery.deliver(job("/busy"), MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 429", Optional.of(Duration.ofSeconds(7))));
        assertThat(delivery.deliver(job("/later"), MSG, "j", 1))
                .as("HTTP-date, 90 s after the clock")
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 503", Optional.of(Duration.ofSeconds(90))));
        assertThat(delivery.deliver(job("/garbage-retry"), MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("HTTP 503", Optional.empty()));
    }

    @Test
    void clientErrorsAreRejected() {
        DeliveryOutcome outcome = delivery.deliver(job("/missing"), MSG, "j", 1);
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Rejected("HTTP 404: no such hook"));
        assertThat(outcome.toString()).doesNotContain(SECRET_TEXT.substring(6));
    }

    @Test
    void onlyTheStartOfAHugeBodyIsKept() {
        DeliveryOutcome outcome = delivery.deliver(job("/huge-error"), MSG, "j", 1);
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Rejected.class,
                        r -> assertThat(r.reason())
                                .startsWith("HTTP 400: xxx")
                                .hasSize("HTTP 400: ".length() + 200 + 3));
    }

    @Test
    void redirectsAreRejectedNotFollowed() throws InterruptedException {
        assertThat(delivery.deliver(job("/moved"), MSG, "j", 1))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Rejected.class,
                        r -> assertThat(r.reason()).startsWith("HTTP 302: redirects are not followed"));
        assertThat(received.take().path()).isEqualTo("/moved");
        assertThat(received.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS))
                .as("/ok never called")
                .isNull();
    }

    @Test
    void aSlowReceiverIsRetriedAfterTheJobsTimeout() {
        long start = System.nanoTime();
        DeliveryOutcome outcome = delivery.deliver(job("/slow", Optional.of(Duration.ofMillis(300))), MSG, "j", 1);
        assertThat(outcome).isEqualTo(new DeliveryOutcome.RetryLater("no response within 300 ms", Optional.empty()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aJobCannotAskForMoreThanTheOperatorsTimeout() {
        WebhookSettings strict =
                new WebhookSettings(Optional.of(SECRET), Duration.ofMillis(400), settings.allowedDestinations());
        WebhookDelivery strictDelivery = new WebhookDelivery(strict, CLOCK);
        assertThat(strictDelivery.deliver(job("/slow", Optional.of(Duration.ofSeconds(30))), MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater("no response within 400 ms", Optional.empty()));
    }

    @Test
    void aBodyThatTricklesAfterTheStatusStillCountsAsDelivered() {
        long start = System.nanoTime();
        assertThat(delivery.deliver(job("/trickle", Optional.of(Duration.ofMillis(500))), MSG, "j", 1))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Delivered.class,
                        d -> assertThat(d.status()).isEqualTo(200));
        // the body would take 5 s; the attempt's deadline cuts it off
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void theRestOfALongBodyIsNotWaitedFor() throws Exception {
        // 8 KiB of a promised 1 MiB, then silence: reading past the 4 KiB kept would wait for the read timeout
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread stalling = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 1048576\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write("y".repeat(8192).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(10_000);
                } catch (IOException | InterruptedException e) {
                    // the client closed the connection, as it should
                }
            });
            stalling.setDaemon(true);
            stalling.start();
            WebhookJob stalled = new WebhookJob(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
                    Json.createObjectBuilder().build(),
                    Map.of(),
                    Optional.empty());
            long start = System.nanoTime();
            assertThat(delivery.deliver(stalled, MSG, "j", 1))
                    .isInstanceOfSatisfying(
                            DeliveryOutcome.Rejected.class,
                            r -> assertThat(r.reason()).startsWith("HTTP 400: yyy"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void headersThatTrickleInRunIntoTheDeadline() throws Exception {
        // each byte comes well within the socket's read timeout, so only the attempt's deadline can end this
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread trickler = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write('X');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up, as it should
                }
            });
            trickler.setDaemon(true);
            trickler.start();
            WebhookJob slowHeaders = new WebhookJob(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
                    Json.createObjectBuilder().build(),
                    Map.of(),
                    Optional.of(Duration.ofMillis(400)));
            long start = System.nanoTime();
            assertThat(delivery.deliver(slowHeaders, MSG, "j", 1))
                    .isEqualTo(new DeliveryOutcome.RetryLater("no response within 400 ms", Optional.empty()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void aClosedPortIsRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        WebhookJob closed = new WebhookJob(
                URI.create("http://127.0.0.1:" + port + "/"),
                Json.createObjectBuilder().build(),
                Map.of(),
                Optional.empty());
        assertThat(delivery.deliver(closed, MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater(
                        "connection refused or destination unreachable", Optional.empty()));
    }

    @Test
    void theGuardIsAskedAgainAtDelivery() {
        WebhookSettings noLoopback = new WebhookSettings(Optional.of(SECRET), Duration.ofSeconds(5), List.of());
        WebhookDelivery guarded = new WebhookDelivery(noLoopback, CLOCK);
        assertThat(guarded.deliver(job("/ok"), MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.Rejected(
                        "payload.url: destination 127.0.0.1 is a loopback address; allow it with "
                                + "WEBHOOK_ALLOWED_DESTINATIONS"));
        assertThat(received).isEmpty();
    }

    @Test
    void nothingIsSentUnsigned() {
        WebhookSettings noSecret =
                new WebhookSettings(Optional.empty(), Duration.ofSeconds(5), settings.allowedDestinations());
        WebhookDelivery unsigned = new WebhookDelivery(noSecret, CLOCK);
        assertThat(unsigned.deliver(job("/ok"), MSG, "j", 1))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.RetryLater.class,
                        r -> assertThat(r.reason()).contains("http jobs need WEBHOOK_SIGNING_SECRET"));
        assertThat(received).isEmpty();
    }

    @Test
    void aConnectionGoesOnlyToAnAddressTheGuardAccepts() {
        // the check before the attempt sees the allowed 127.0.0.1; by the connect, the name points at another
        // loopback address, which nothing allows (DNS rebinding)
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        DestinationGuard.Resolver rebinding = host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")
        };
        WebhookDelivery rebound = new WebhookDelivery(settings, CLOCK, rebinding);
        WebhookJob named = new WebhookJob(
                URI.create("http://hooks.example:" + sink.getAddress().getPort() + "/ok"),
                Json.createObjectBuilder().build(),
                Map.of(),
                Optional.empty());
        assertThat(rebound.deliver(named, MSG, "j", 1))
                .isEqualTo(new DeliveryOutcome.RetryLater(
                        "payload.url: hooks.example now resolves to 127.0.0.2, which is a loopback address",
                        Optional.empty()));
        assertThat(lookups).hasValue(2);
        assertThat(received).isEmpty();
        rebound.close();
    }

    @Test
    void keptAliveConnectionsAreReused() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            assertThat(delivery.deliver(job("/ok"), MSG, "j", 1)).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        java.util.Set<Object> connections = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            connections.add(received.take().remote());
        }
        assertThat(connections).as("client ports of the five requests").hasSize(1);
    }
}
