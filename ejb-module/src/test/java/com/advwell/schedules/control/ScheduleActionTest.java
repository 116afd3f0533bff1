package com.advwell.schedules.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.jobs.control.Job;
import com.advwell.jobs.control.JobChecks;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.PayloadValidator;
import com.advwell.jobs.control.ProbeJobs;
import com.advwell.jobs.control.QueueDefinition;
import com.advwell.platform.config.Settings;
import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import com.advwell.webhooks.control.WebhookJobs;
import com.advwell.webhooks.control.WebhookSettings;
import com.advwell.webhooks.control.Webhooks;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A schedule's payload is checked when the schedule is written, by the same checks its slots' adds run: the built-in
 * queues as they are declared, webhooks with a signing secret, no network (numeric destinations only).
 */
class ScheduleActionTest {

    private static final int MAX_PAYLOAD = 1024;
    private final JobChecks checks = new JobChecks(MAX_PAYLOAD);
    private final WebhookJobs webhookJobs = new WebhookJobs(new Webhooks(WebhookSettings.from(new Settings(
            name -> Optional.ofNullable(Map.of(WebhookSettings.SECRET, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                    .get(name))))));

    /** The queue as the container registers it: the consumer's declaration and its payload validator, if any. */
    private QueueDefinition declared(Class<?> consumer, String method) throws Exception {
        Method m = consumer.getMethod(method, Job.class);
        for (Method v : consumer.getMethods()) {
            if (v.isAnnotationPresent(PayloadValidator.class)) {
                return QueueDefinition.of(m, v, webhookJobs);
            }
        }
        return QueueDefinition.of(m, null, null);
    }

    private void check(QueueDefinition queue, String payload) {
        ScheduleAction.check(queue, checks, "tenant-a", "5b0c0b0e-1111-4222-8333-444455556666", payload);
    }

    private static void assertProblem(Runnable check, Refusal refusal, String field) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.refusal()).isEqualTo(refusal);
            assertThat(e.field()).contains(field);
        });
    }

    @Test
    void aWebhookPayloadIsCheckedAsAnAddOfAnHttpJobWouldBe() throws Exception {
        QueueDefinition webhooks = declared(WebhookJobs.class, "deliver");
        assertProblem(
                () -> check(webhooks, "{\"type\":\"http\",\"url\":\"http://93.184.216.34/hook\",\"body\":{}}"),
                Refusal.INVALID,
                "payload.type");
        assertProblem(() -> check(webhooks, "{\"body\":{}}"), Refusal.INVALID, "payload.url");
        assertProblem(() -> check(webhooks, "{\"url\":\"ftp://93.184.216.34/hook\"}"), Refusal.INVALID, "payload.url");
        assertProblem(
                () -> check(webhooks, "{\"url\":\"http://93.184.216.34/\",\"headers\":{\"Host\":\"x\"}}"),
                Refusal.INVALID,
                "payload.headers.Host");
        assertThatCode(() -> check(webhooks, "{\"url\":\"http://93.184.216.34/hook\",\"body\":{\"n\":1}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void aWebhookToAPrivateOrInternalDestinationIsRefused() throws Exception {
        QueueDefinition webhooks = declared(WebhookJobs.class, "deliver");
        for (String url : new String[] {
            "http://10.0.0.5/hook",
            "http://127.0.0.1:8080/",
            "http://169.254.169.254/",
            "http://[::1]/",
            "http://2130706433/"
        }) {
            assertProblem(() -> check(webhooks, "{\"url\":\"" + url + "\"}"), Refusal.INVALID, "payload.url");
        }
    }

    @Test
    void aPayloadOverTheQueuesLimitIsRefusedNamingThePayload() throws Exception {
        QueueDefinition probe = declared(ProbeJobs.class, "run");
        assertThatCode(() -> check(probe, "{\"n\":1}")).doesNotThrowAnyException();
        assertProblem(
                () -> check(probe, "{\"blob\":\"" + "a".repeat(MAX_PAYLOAD) + "\"}"), Refusal.TOO_LARGE, "payload");
    }

    @Test
    void aQueueASlotCannotFeedIsRefusedNamingTheQueue() throws Exception {
        QueueDefinition webhooks = declared(WebhookJobs.class, "deliver");
        QueueDefinition twoTypes =
                new QueueDefinition("mixed", Set.of("a", "b"), webhooks.declaration(), webhooks.method());
        assertProblem(() -> check(twoTypes, "{}"), Refusal.INVALID, "queue");
    }

    @Test
    void aSlotAddsOneJobOfTheSchedulesTenantWhateverTheRetries() throws Exception {
        QueueDefinition probe = declared(ProbeJobs.class, "run");
        Instant slot = Instant.parse("2030-01-01T00:00:00Z");
        JobSpec job = ScheduleAction.slotJob(probe, "tenant-a", "s1", slot, "{\"n\":1}");
        assertThat(job.type()).isEqualTo("probe");
        assertThat(job.tenant()).isEqualTo("tenant-a");
        assertThat(job.id()).isEqualTo("schedule-s1-" + slot.toEpochMilli());
        assertThat(ScheduleAction.slotJob(probe, "tenant-a", "s1", slot, "{}").id())
                .isEqualTo(job.id());
    }
}
