package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookJobTest {

    private static final WebhookSettings ENABLED =
            new WebhookSettings(Optional.of(TestSecrets.random()), Duration.ofSeconds(10), List.of());

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text.replace('\'', '"')))) {
            return reader.readObject();
        }
    }

    private static RefusedException failure(String payload) {
        Throwable thrown = catchThrowable(() -> WebhookJob.parse(json(payload), ENABLED));
        assertThat(thrown).as(payload).isInstanceOf(RefusedException.class);
        return (RefusedException) thrown;
    }

    @Test
    void minimalPayloadGetsDefaults() {
        WebhookJob job = WebhookJob.parse(json("{'url': 'https://hooks.example.com/a?b=c'}"), ENABLED);
        assertThat(job.url().getHost()).isEqualTo("hooks.example.com");
        assertThat(new String(job.bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(job.headers()).isEmpty();
        assertThat(job.timeout()).isEmpty();
        assertThat(job.effectiveTimeout(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void fullPayload() {
        WebhookJob job = WebhookJob.parse(
                json("{'url': 'http://93.184.216.34:8080/h', 'body': [1, 'x', null],"
                        + " 'headers': {'X-Tenant': 'acme', 'Authorization': 'Bearer t'}, 'timeoutMs': 2500}"),
                ENABLED);
        assertThat(new String(job.bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("[1,\"x\",null]");
        assertThat(job.headers())
                .containsExactly(Map.entry("X-Tenant", "acme"), Map.entry("Authorization", "Bearer t"));
        assertThat(job.effectiveTimeout(Duration.ofSeconds(10)))
                .as("a job may ask for less")
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(job.effectiveTimeout(Duration.ofSeconds(1))).as("never more").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusedWhenNoSigningSecretIsSet() {
        WebhookSettings disabled = new WebhookSettings(Optional.empty(), Duration.ofSeconds(10), List.of());
        assertThatThrownBy(() -> WebhookJob.parse(json("{'url': 'https://hooks.example.com/'}"), disabled))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("http jobs need WEBHOOK_SIGNING_SECRET");
    }

    @Test
    void urlErrorsNameTheField() {
        assertThat(failure("{}").getMessage()).isEqualTo("payload.url: is required");
        assertThat(failure("{'url': 5}").getMessage()).isEqualTo("payload.url: must be a string");
        assertThat(failure("{'url': 'not a url'}").getMessage()).startsWith("payload.url: is not a valid URL");
        assertThat(failure("{'url': 'ftp://example.com/'}").getMessage())
                .isEqualTo("payload.url: must be an absolute http or https URL, not ftp");
        assertThat(failure("{'url': 'https://u:p@example.com/'}").getMessage()).startsWith("payload.url: must not");
        assertThat(failure("{'url': 'http://2130706433/'}").getMessage()).contains("non-standard form");
        assertThat(failure("{'url': 'https://example.com/" + "a".repeat(2100) + "'}")
                        .getMessage())
                .isEqualTo("payload.url: must be at most 2048 characters");
        assertThat(failure("{'url': 5}").field()).contains("payload.url");
        assertThat(failure("{'url': 5}").refusal()).isEqualTo(Refusal.INVALID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Host",
                "content-length",
                "Connection",
                "Transfer-Encoding",
                "Expect",
                "Upgrade",
                "Content-Type",
                "X-AdvWell-Signature",
                "x-advwell-job-id",
                "X-ADVWELL-anything",
                "webhook-id",
                "Webhook-Signature",
                "WEBHOOK-TIMESTAMP",
                "webhook-anything-later"
            })
    void headersTheDeliveryOwnsAreRefused(String name) {
        assertThat(failure("{'url': 'https://example.com/', 'headers': {'" + name + "': 'v'}}")
                        .getMessage())
                .isEqualTo("payload.headers." + name + ": is set by the delivery and cannot be given");
    }

    @Test
    void headerErrorsNameTheHeader() {
        assertThat(failure("{'url': 'https://example.com/', 'headers': {'Bad Name': 'v'}}")
                        .getMessage())
                .isEqualTo("payload.headers.Bad Name: is not a valid header name");
        assertThat(failure("{'url': 'https://example.com/', 'headers': {'X-A': 'v\\r\\nX-Injected: 1'}}")
                        .getMessage())
                .startsWith("payload.headers.X-A: must be printable ASCII without CR, LF");
        assertThat(failure("{'url': 'https://example.com/', 'headers': {'X-A': 1}}")
                        .getMessage())
                .isEqualTo("payload.headers.X-A: must be a string");
        assertThat(failure("{'url': 'https://example.com/', 'headers': {'X-A': '1', 'x-a': '2'}}")
                        .getMessage())
                .isEqualTo("payload.headers.x-a: is given twice (header names ignore case)");
        assertThat(failure("{'url': 'https://example.com/', 'headers': ['X-A']}")
                        .getMessage())
                .startsWith("payload.headers: must be an object");
        assertThat(failure("{'url': 'https://example.com/', 'headers': {'X-A': 'ação'}}")
                        .getMessage())
                .startsWith("payload.headers.X-A: must be printable ASCII");
    }

    @Test
    void atMostTwentyHeaders() {
        JsonObjectBuilder headers = Json.createObjectBuilder();
        for (int i = 0; i < 20; i++) {
            headers.add("X-H" + i, "v");
        }
        JsonObject twenty = Json.createObjectBuilder()
                .add("url", "https://example.com/")
                .add("headers", headers)
                .build();
        assertThat(WebhookJob.parse(twenty, ENABLED).headers()).hasSize(20);
        headers = Json.createObjectBuilder(twenty.getJsonObject("headers")).add("X-H20", "v");
        JsonObject many = Json.createObjectBuilder()
                .add("url", "https://example.com/")
                .add("headers", headers)
                .build();
        assertThatThrownBy(() -> WebhookJob.parse(many, ENABLED))
                .hasMessage("payload.headers: at most 20 headers, got 21");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99", "60001", "1.5", "'100'", "-1", "1e999999999", "true"})
    void timeoutErrorsNameTheField(String value) {
        assertThat(failure("{'url': 'https://example.com/', 'timeoutMs': " + value + "}")
                        .getMessage())
                .isEqualTo("payload.timeoutMs: must be an integer between 100 and 60000");
    }

    @Test
    void unknownFieldsAreNamed() {
        assertThat(failure("{'url': 'https://example.com/', 'header': {}}").getMessage())
                .isEqualTo("payload.header: unknown field; expected url, body, headers or timeoutMs");
    }
}
