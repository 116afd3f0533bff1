package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.Job;
import com.advwell.jobs.control.JobChecks;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.QueueDefinition;
import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The webhooks feature registers its payload validator with the queue engine: an {@code http} job that could never
 * be delivered is refused when it is added, with the problem naming the payload's field, alone or within a bulk add.
 */
class WebhookJobsTest {

    private static final String GOOD = "{\"url\":\"http://93.184.216.34/hook\",\"body\":{}}";

    private final JobChecks checks = new JobChecks(1024);
    private final QueueDefinition webhooks = registered();

    private static QueueDefinition registered() {
        WebhookJobs bean = new WebhookJobs(new Webhooks(
                new WebhookSettings(Optional.of(TestSecrets.random()), Duration.ofSeconds(10), List.of())));
        try {
            return QueueDefinition.of(
                    WebhookJobs.class.getMethod("deliver", Job.class),
                    WebhookJobs.class.getMethod("validate", JsonObject.class),
                    bean);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** One payload is checked as a single add, several as a bulk add. */
    private void add(String... payloads) {
        List<JobSpec> specs =
                Arrays.stream(payloads).map(p -> JobSpec.of("http", p)).toList();
        if (specs.size() == 1) {
            checks.check(webhooks, specs.get(0));
        } else {
            checks.checkBulk(webhooks, specs);
        }
    }

    @Test
    void aPayloadThatCouldNeverBeDeliveredIsRefusedNamingItsField() {
        assertThatThrownBy(() -> add("{\"body\":{}}")).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.refusal()).isEqualTo(Refusal.INVALID);
            assertThat(e.getMessage()).isEqualTo("payload.url: is required");
            assertThat(e.field()).isEqualTo("payload.url");
        });
        assertThatThrownBy(() -> add("{\"url\":\"http://10.0.0.5/hook\"}"))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.INVALID);
                    assertThat(e.getMessage()).startsWith("payload.url: ");
                    assertThat(e.field()).isEqualTo("payload.url");
                });
    }

    @Test
    void inABulkAddTheFieldNamesTheJob() {
        assertThatThrownBy(() -> add(GOOD, "{\"body\":{}}")).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.refusal()).isEqualTo(Refusal.INVALID);
            assertThat(e.getMessage()).isEqualTo("jobs[1].payload.url: is required");
            assertThat(e.field()).isEqualTo("jobs[1].payload.url");
        });
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsRefusedByTheEngine() {
        assertThatThrownBy(() -> add("[1]")).isInstanceOfSatisfying(InvalidJobException.class, e -> {
            assertThat(e.field()).isEqualTo("payload");
            assertThat(e.getMessage()).isEqualTo("payload: must be a JSON object");
        });
        assertThatThrownBy(() -> add(GOOD, "[1]"))
                .isInstanceOfSatisfying(
                        InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("jobs[1].payload"));
    }

    @Test
    void aDeliverablePayloadIsAccepted() {
        assertThatCode(() -> add(GOOD)).doesNotThrowAnyException();
        assertThatCode(() -> add(GOOD, GOOD)).doesNotThrowAnyException();
    }
}
