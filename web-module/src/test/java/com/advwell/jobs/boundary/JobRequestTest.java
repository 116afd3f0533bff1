package com.advwell.jobs.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.jobs.control.Backoff;
import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.JobState;
import com.advwell.jobs.control.JobView;
import com.advwell.platform.rest.JsonbConfiguration;
import jakarta.json.bind.Jsonb;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job as clients write it becomes the engine's job, and the engine's job view the JSON clients read. */
class JobRequestTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static JobRequest read(String json) throws Exception {
        try (Jsonb jsonb = JsonbConfiguration.create()) {
            return jsonb.fromJson(json, JobRequest.class);
        }
    }

    @Test
    void everyOptionReachesTheSpec() throws Exception {
        JobSpec spec = read("""
                {"id":"order-1","type":"probe","payload":{"n":[1,2]},"priority":9,"runAt":"2030-01-01T00:00:05Z",
                 "attempts":5,"backoff":{"type":"fixed","delayMs":200,"jitter":false},"timeoutMs":1000,
                 "retention":{"completedMs":60000,"failedMs":120000}}""").toSpec("t1", NOW);
        assertThat(spec.id()).isEqualTo("order-1");
        assertThat(spec.payload()).isEqualTo("{\"n\":[1,2]}");
        assertThat(spec.priority()).isEqualTo(9);
        assertThat(spec.delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.backoff()).isEqualTo(new Backoff(Backoff.Kind.FIXED, 200, false));
        assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(spec.tenant()).isEqualTo("t1");
        assertThat(spec.keepFailed()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void defaultsAndAnyJsonPayload() throws Exception {
        JobSpec spec = read("{\"type\":\"probe\"}").toSpec(null, NOW);
        assertThat(spec.payload()).isEqualTo("{}");
        assertThat(spec.priority()).isEqualTo(JobSpec.DEFAULT_PRIORITY);
        assertThat(spec.backoff()).isEqualTo(Backoff.DEFAULT);
        assertThat(read("{\"type\":\"probe\",\"payload\":[1,\"x\"]}")
                        .toSpec(null, NOW)
                        .payload())
                .isEqualTo("[1,\"x\"]");
        assertThat(read("{\"type\":\"probe\",\"runAt\":\"2020-01-01T00:00:00Z\"}")
                        .toSpec(null, NOW)
                        .delay())
                .isZero();
    }

    @Test
    void badOptionsNameTheirField() {
        assertField("{\"type\":\"probe\",\"priority\":10}", "priority");
        assertField("{\"type\":\"probe\",\"delayMs\":1,\"runAt\":\"2030-01-01T00:00:00Z\"}", "runAt");
        assertField("{\"type\":\"probe\",\"runAt\":\"tomorrow\"}", "runAt");
        assertField("{\"type\":\"probe\",\"runAt\":\"2099-01-01T00:00:00Z\"}", "runAt");
        assertField("{\"type\":\"probe\",\"backoff\":{\"type\":\"linear\"}}", "backoff.type");
        assertField("{\"type\":\"probe\",\"attempts\":0}", "attempts");
        assertField("{\"payload\":{}}", "type");
    }

    private static void assertField(String json, String field) {
        assertThatThrownBy(() -> read(json).toSpec(null, NOW))
                .isInstanceOfSatisfying(
                        InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void viewsShowJsonAsJsonAndTimesNotYetReachedAsNull() throws Exception {
        JobView view = new JobView(
                "probe",
                "j1",
                "probe",
                "{\"a\":1}",
                JobState.WAITING,
                4,
                0,
                3,
                0,
                null,
                List.of(),
                null,
                null,
                "trace",
                "t1",
                null,
                1_700_000_000_000L,
                0,
                0,
                0);
        try (Jsonb jsonb = JsonbConfiguration.create()) {
            String client = jsonb.toJson(JobViews.JobResponse.of(view, false));
            assertThat(client)
                    .contains("\"payload\":{\"a\":1}")
                    .contains("\"state\":\"waiting\"")
                    .contains("\"startedAt\":null")
                    .contains("\"result\":null")
                    .contains("\"createdAt\":\"2023-11-14T22:13:20Z\"")
                    .doesNotContain("trace")
                    .doesNotContain("\"tenant\"");
            assertThat(jsonb.toJson(JobViews.JobResponse.of(view, true))).contains("\"stackTrace\":\"trace\"");
            assertThat(jsonb.toJson(new JobViews.PageView(List.of(), null)))
                    .isEqualTo("{\"jobs\":[],\"nextCursor\":null}");
        }
        assertThat(JobViews.json("not json").toString()).isEqualTo("\"not json\"");
    }
}
