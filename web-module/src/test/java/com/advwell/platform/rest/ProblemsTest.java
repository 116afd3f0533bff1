package com.advwell.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every failure becomes a problem naming the field at fault, and nothing internal leaks to the caller. */
class ProblemsTest {

    public record Sample(String name, int count) {}

    private static Problem bind(String json) {
        try (Jsonb jsonb = JsonbConfiguration.create()) {
            jsonb.fromJson(json, Sample.class);
        } catch (JsonbException e) {
            return Problems.of(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a binding failure for " + json);
    }

    @Test
    void malformedJsonIs400OnTheBody() {
        Problem p = bind("{\"name\":");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.type()).isEqualTo("malformed-json");
        assertThat(p.field()).isEqualTo("body");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        Problem p = bind("{\"name\":\"a\",\"count\":\"many\"}");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo("count");
    }

    @Test
    void anUnknownFieldIsRefusedAndNamed() {
        Problem p = bind("{\"name\":\"a\",\"cuont\":1}");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo("cuont");
    }

    @Test
    void domainFailuresKeepTheirStatusAndFieldThroughEjbWrapping() {
        Problem p = Problems.of(new EJBException(RefusedException.invalid("role", "bad role")));
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo("role");
        assertThat(p.detail()).isEqualTo("bad role");

        Problem unavailable = Problems.of(RefusedException.unavailable("no replica acknowledged", 2));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.retryAfterSeconds()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        "INVALID, 400, invalid-field, Invalid field",
        "WEBHOOKS_DISABLED, 400, webhooks-disabled, Webhooks are disabled",
        "NOT_FOUND, 404, not-found, Not found",
        "UNKNOWN_QUEUE, 404, unknown-queue, Unknown queue",
        "CONFLICT, 409, conflict, Conflict",
        "WRONG_STATE, 409, wrong-state, Conflict",
        "LOCK_LOST, 409, lock-lost, Conflict",
        "TOO_LARGE, 413, payload-too-large, Payload too large",
        "NOT_DURABLE, 503, not-durable, Not confirmed by a Redis replica",
        "UNAVAILABLE, 503, unavailable, Service unavailable"
    })
    void everyRefusalIsToldWithItsOwnStatusTypeAndTitle(Refusal refusal, int status, String type, String title) {
        Problem p = Problems.of(new RefusedException(refusal, "why", "where", 1));
        assertThat(p.status()).isEqualTo(status);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.title()).isEqualTo(title);
        assertThat(p.field()).isEqualTo("where");
        assertThat(p.retryAfterSeconds()).isEqualTo(1);
        assertThat(p.detail()).isEqualTo(refusal == Refusal.NOT_DURABLE ? "why; retry with the same job ids" : "why");
    }

    @Test
    void oversizedBodiesAre413EvenWhenWrapped() {
        Problem p = Problems.of(new RuntimeException(new PayloadTooLargeException(1024)));
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.field()).isEqualTo("body");
    }

    @Test
    void unexpectedFailuresAre500WithAnErrorIdAndNoInternals() {
        Problem p = Problems.of(new IllegalStateException("password=hunter2 at com.advwell.Secret"));
        assertThat(p.status()).isEqualTo(500);
        assertThat(p.detail()).contains("error id").doesNotContain("hunter2").doesNotContain("com.advwell");
    }

    @Test
    void statusesTheContainerChoosesGetTheirTitleAndAFixedDetail() {
        Problem notFound = Problems.ofStatus(404);
        assertThat(notFound.type()).isEqualTo("not-found");
        assertThat(notFound.title()).isEqualTo("Not Found");
        assertThat(notFound.detail()).isEqualTo("no such resource");
        assertThat(Problems.ofStatus(405).type()).isEqualTo("method-not-allowed");
        assertThat(Problems.ofStatus(406).title()).isEqualTo("Not Acceptable");

        Problem unusual = Problems.ofStatus(505);
        assertThat(unusual.status()).isEqualTo(505);
        assertThat(unusual.type()).isEqualTo("http-505");
        assertThat(unusual.title()).isEqualTo("HTTP Version Not Supported");
        assertThat(Problems.ofStatus(599).title()).isEqualTo("HTTP 599");
    }

    @Test
    void theDocumentIsRfc9457Json() {
        String json = new Problem(404, "not-found", "Not Found", "no such \"thing\"", "id", null).toJson();
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            var problem = reader.readObject();
            assertThat(problem.getString("type")).isEqualTo("https://advwell.example/problems/not-found");
            assertThat(problem.getString("title")).isEqualTo("Not Found");
            assertThat(problem.getInt("status")).isEqualTo(404);
            assertThat(problem.getString("detail")).isEqualTo("no such \"thing\"");
            assertThat(problem.getString("field")).isEqualTo("id");
        }
    }
}
