package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real deliveries to a receiver written the way a customer would write one: Node with the published
 * {@code standardwebhooks} npm package ({@code src/test/node/standardwebhooks-receiver}, installed with
 * {@code npm ci} when absent). Fails, never skips, when node or npm is missing: the point is that a third-party
 * library accepts our signatures.
 */
class StandardWebhooksReceiverIT {

    private static final String CURRENT = TestSecrets.randomWhsec();
    private static final String PREVIOUS = TestSecrets.randomWhsec();
    private static final String STRANGER = TestSecrets.randomWhsec();

    private static Process receiver;
    private static URI base;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startReceiver() throws Exception {
        Path dir = receiverDir();
        if (!Files.isDirectory(dir.resolve("node_modules/standardwebhooks"))) {
            run(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
        }
        ProcessBuilder pb = new ProcessBuilder("node", "receiver.js")
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment()
                .put(
                        "RECEIVER_SECRETS",
                        Json.createObjectBuilder()
                                .add("current", CURRENT)
                                .add("previous", PREVIOUS)
                                .add("stranger", STRANGER)
                                .build()
                                .toString());
        receiver = start(pb, "node (nodejs) is needed to verify deliveries with the standardwebhooks library");
        BufferedReader out =
                new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening ")) {
            fail("the receiver did not start: " + line);
        }
        base = URI.create(
                "http://127.0.0.1:" + line.substring("listening ".length()).strip());
    }

    @AfterAll
    static void stopReceiver() throws InterruptedException {
        if (receiver != null) {
            receiver.destroy();
            if (!receiver.waitFor(5, TimeUnit.SECONDS)) {
                receiver.destroyForcibly();
            }
        }
    }

    private static Path receiverDir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            for (Path candidate : List.of(
                    p.resolve("src/test/node/standardwebhooks-receiver"),
                    p.resolve("ejb-module/src/test/node/standardwebhooks-receiver"))) {
                if (Files.isRegularFile(candidate.resolve("receiver.js"))) {
                    return candidate;
                }
            }
        }
        return fail("src/test/node/standardwebhooks-receiver not found above " + here);
    }

    private static Process start(ProcessBuilder pb, String missing) {
        try {
            return pb.start();
        } catch (IOException e) {
            return fail(missing + " (" + pb.command().get(0) + ": " + e.getMessage()
                    + "); on Debian: apt-get install -y nodejs npm");
        }
    }

    private static void run(Path dir, List<String> command) throws InterruptedException, IOException {
        Process p = start(
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true),
                "npm is needed to install the standardwebhooks package");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " in " + dir + " failed:\n" + output);
        }
    }

    private static WebhookDelivery delivery(Optional<String> previous) {
        WebhookSettings settings = new WebhookSettings(
                Optional.of(SigningSecret.parse("CURRENT", CURRENT)),
                previous.map(p -> SigningSecret.parse("PREVIOUS", p)),
                Duration.ofSeconds(5),
                List.of(Cidr.parse("127.0.0.1/32")));
        // the library refuses timestamps five minutes from its clock, so the real clock
        return new WebhookDelivery(settings, Clock.systemUTC());
    }

    private static WebhookJob job(String path) {
        return new WebhookJob(
                base.resolve(path),
                Json.createObjectBuilder()
                        .add("event", "order.paid")
                        .add("order", 42)
                        .add("note", "ação ✓")
                        .build(),
                Map.of("X-Tenant", "acme"),
                Optional.empty());
    }

    /** What the receiver recorded for the latest request to {@code path}. */
    private static JsonObject result(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("/results")).build(), HttpResponse.BodyHandlers.ofString());
        JsonArray all;
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            all = reader.readArray();
        }
        JsonObject latest = null;
        for (JsonObject o : all.getValuesAs(JsonObject.class)) {
            if (o.getString("path").equals(path)) {
                latest = o;
            }
        }
        assertThat(latest).as("the receiver got a request to %s", path).isNotNull();
        return latest;
    }

    @Test
    void theLibraryVerifiesADeliveryWithTheSecret() throws Exception {
        String id = WebhookDelivery.messageId("tenant-a", "webhooks", "order-42", System.currentTimeMillis());
        DeliveryOutcome outcome = delivery(Optional.empty()).deliver(job("/plain"), id, "order-42", 2);

        assertThat(outcome).as("200 means the library verified it").isInstanceOf(DeliveryOutcome.Delivered.class);
        JsonObject got = result("/plain");
        JsonObject verdicts = got.getJsonObject("verdicts");
        assertThat(verdicts.getString("current")).isEqualTo("ok");
        assertThat(verdicts.getString("previous")).isEqualTo("No matching signature found");
        assertThat(verdicts.getString("stranger")).isEqualTo("No matching signature found");
        JsonObject headers = got.getJsonObject("headers");
        assertThat(headers.getString("webhook-id")).isEqualTo(id);
        assertThat(headers.getString("x-advwell-attempt")).isEqualTo("2");
        assertThat(headers.containsKey("x-advwell-signature")).isFalse();
    }

    @Test
    void duringARotationReceiversWithEitherSecretVerify() throws Exception {
        String id = WebhookDelivery.messageId(null, "webhooks", "rotation", System.currentTimeMillis());
        DeliveryOutcome outcome = delivery(Optional.of(PREVIOUS)).deliver(job("/rotation"), id, "rotation", 1);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        JsonObject got = result("/rotation");
        assertThat(got.getJsonObject("headers").getString("webhook-signature").split(" "))
                .hasSize(2);
        JsonObject verdicts = got.getJsonObject("verdicts");
        assertThat(verdicts.getString("current")).isEqualTo("ok");
        assertThat(verdicts.getString("previous"))
                .as("a receiver that still has the old secret")
                .isEqualTo("ok");
        assertThat(verdicts.getString("stranger")).isEqualTo("No matching signature found");
    }

    @Test
    void aTamperedBodyOrIdFailsVerification() throws Exception {
        String id = WebhookDelivery.messageId("tenant-a", "webhooks", "tamper", System.currentTimeMillis());
        assertThat(delivery(Optional.empty()).deliver(job("/original"), id, "tamper", 1))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        JsonObject headers = result("/original").getJsonObject("headers");

        // the same signed headers with one byte of the body changed, then with another id
        String body = "{\"event\":\"order.paid\",\"order\":43,\"note\":\"ação ✓\"}";
        HttpResponse<String> tampered = replay("/tampered", headers, Map.of(), body);
        assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(401);
        assertThat(result("/tampered").getJsonObject("verdicts").getString("current"))
                .isEqualTo("No matching signature found");

        String original = "{\"event\":\"order.paid\",\"order\":42,\"note\":\"ação ✓\"}";
        assertThat(replay("/same", headers, Map.of(), original).statusCode())
                .as("the replay itself is faithful")
                .isEqualTo(200);
        HttpResponse<String> otherId = replay("/other-id", headers, Map.of("webhook-id", "msg_other"), original);
        assertThat(otherId.statusCode()).as(otherId.body()).isEqualTo(401);
    }

    private static HttpResponse<String> replay(
            String path, JsonObject headers, Map<String, String> overrides, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            b.header(name, overrides.getOrDefault(name, headers.getString(name)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
