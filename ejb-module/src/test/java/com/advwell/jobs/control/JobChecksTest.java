package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.advwell.platform.config.Settings;
import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import com.advwell.webhooks.control.WebhookSettings;
import com.advwell.webhooks.control.Webhooks;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A bulk add's refusals name the job at fault as {@code jobs[i].field}; a single add's name the field alone. */
class JobChecksTest {

    private static final int MAX_PAYLOAD = 64;
    private static final QueueDefinition QUEUE = new QueueDefinition("q", Set.of("probe"), null, null);
    /** A queue with a payload validator, as the webhooks feature registers one. */
    private static final QueueDefinition HOOKS = new QueueDefinition(
            "hooks",
            Set.of("http"),
            null,
            null,
            new Webhooks(WebhookSettings.from(new Settings(
                    name -> Optional.ofNullable(Map.of(WebhookSettings.SECRET, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                            .get(name)))))::validate);

    private static final String PRIVATE_HOOK = "{\"url\":\"http://10.0.0.5/hook\"}";

    private final JobChecks checks = new JobChecks(MAX_PAYLOAD);

    private static JobSpec probe() {
        return JobSpec.of("probe", "{}");
    }

    private static JobSpec goodHook() {
        return JobSpec.of("http", "{\"url\":\"http://93.184.216.34/hook\"}");
    }

    private static RefusedException refusal(Runnable check) {
        Throwable thrown = catchThrowable(check::run);
        assertThat(thrown).isInstanceOf(RefusedException.class);
        return (RefusedException) thrown;
    }

    @Test
    void aSingleAddNamesTheFieldAlone() {
        assertThat(refusal(() -> checks.check(QUEUE, JobSpec.of("nope", "{}"))).field())
                .isEqualTo("type");
        RefusedException tooLarge =
                refusal(() -> checks.check(QUEUE, JobSpec.of("probe", "{\"a\":\"" + "x".repeat(MAX_PAYLOAD) + "\"}")));
        assertThat(tooLarge.refusal()).isEqualTo(Refusal.TOO_LARGE);
        assertThat(tooLarge.field()).isEqualTo("payload");
        assertThat(refusal(() -> checks.check(HOOKS, JobSpec.of("http", PRIVATE_HOOK)))
                        .field())
                .isEqualTo("payload.url");
    }

    @Test
    void aBulkAddNamesTheJobAtFault() {
        RefusedException type = refusal(() -> checks.checkBulk(QUEUE, List.of(probe(), JobSpec.of("nope", "{}"))));
        assertThat(type.field()).isEqualTo("jobs[1].type");
        assertThat(type.getMessage()).startsWith("jobs[1].type: queue q accepts");

        RefusedException tooLarge = refusal(() -> checks.checkBulk(
                QUEUE, List.of(probe(), probe(), JobSpec.of("probe", "{\"a\":\"" + "x".repeat(MAX_PAYLOAD) + "\"}"))));
        assertThat(tooLarge.refusal()).isEqualTo(Refusal.TOO_LARGE);
        assertThat(tooLarge.field()).isEqualTo("jobs[2].payload");

        RefusedException hook =
                refusal(() -> checks.checkBulk(HOOKS, List.of(goodHook(), JobSpec.of("http", PRIVATE_HOOK))));
        assertThat(hook.field()).isEqualTo("jobs[1].payload.url");
        assertThat(hook.getMessage()).startsWith("jobs[1].payload.url: ");

        assertThat(refusal(() -> checks.checkBulk(HOOKS, List.of(goodHook(), JobSpec.of("http", "[1]"))))
                        .field())
                .isEqualTo("jobs[1].payload");
    }

    @Test
    void aBulkOfOneNamesItsJobExceptForTheValidatorsOwnFields() {
        assertThat(refusal(() -> checks.checkBulk(QUEUE, List.of(JobSpec.of("nope", "{}"))))
                        .field())
                .isEqualTo("jobs[0].type");
        assertThat(refusal(() -> checks.checkBulk(HOOKS, List.of(JobSpec.of("http", "[1]"))))
                        .field())
                .isEqualTo("jobs[0].payload");
        RefusedException hook = refusal(() -> checks.checkBulk(HOOKS, List.of(JobSpec.of("http", PRIVATE_HOOK))));
        assertThat(hook.field()).as("as clients have always seen it").isEqualTo("payload.url");
    }

    @Test
    void aBulkAddHoldsOneToMaxBulkJobs() {
        assertThatThrownBy(() -> checks.checkBulk(QUEUE, List.of()))
                .isInstanceOfSatisfying(
                        InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("jobs"));
        assertThatThrownBy(() -> checks.checkBulk(QUEUE, Collections.nCopies(JobQueues.MAX_BULK + 1, probe())))
                .isInstanceOfSatisfying(
                        InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("jobs"));
    }

    @Test
    void aConversionRefusalMovesIntoItsJob() {
        InvalidJobException e = new InvalidJobException("priority", "must be between 0 and 9").inBulk(3);
        assertThat(e.field()).isEqualTo("jobs[3].priority");
        assertThat(e.getMessage()).isEqualTo("jobs[3].priority: must be between 0 and 9");
    }
}
