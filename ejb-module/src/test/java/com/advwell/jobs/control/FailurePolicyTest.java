package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {

    private static FetchedJob attempt(int made, int max) {
        return new FetchedJob(
                "q",
                "1",
                "noop",
                "{}",
                made,
                max,
                new Backoff(Backoff.Kind.EXPONENTIAL, 1000, true),
                0,
                0,
                null,
                0,
                "tok");
    }

    @Test
    void aJobWithAttemptsLeftWaitsForItsBackoff() {
        assertThat(FailurePolicy.retryDelay(attempt(2, 3), new IllegalStateException(), () -> 0.0))
                .isEqualTo(Duration.ofMillis(1000));
        assertThat(FailurePolicy.retryDelay(attempt(2, 3), new IllegalStateException(), () -> 0.999999))
                .isEqualTo(Duration.ofMillis(1999));
    }

    @Test
    void retryLaterSetsTheWaitUnlessItNamesNone() {
        assertThat(FailurePolicy.retryDelay(attempt(1, 3), new RetryJobLater("busy", Duration.ofSeconds(7)), () -> 0.0))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(FailurePolicy.retryDelay(attempt(1, 3), new RetryJobLater("busy", null), () -> 0.0))
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aPermanentFailureOrTheLastAttemptFailsForGood() {
        assertThat(FailurePolicy.retryDelay(attempt(1, 3), new PermanentJobFailure("422")))
                .isNull();
        assertThat(FailurePolicy.retryDelay(attempt(3, 3), new IllegalStateException()))
                .isNull();
        assertThat(FailurePolicy.retryDelay(attempt(3, 3), new RetryJobLater("busy", Duration.ofSeconds(1))))
                .isNull();
    }

    @Test
    void theErrorIsTheHandlersOwnWordsForTheFailuresItMeansElseTheClassToo() {
        assertThat(FailurePolicy.describe(new PermanentJobFailure("422 from the receiver")))
                .isEqualTo("422 from the receiver");
        assertThat(FailurePolicy.describe(new RetryJobLater("503, Retry-After 7", Duration.ofSeconds(7))))
                .isEqualTo("503, Retry-After 7");
        assertThat(FailurePolicy.describe(new IllegalStateException("downstream said no")))
                .isEqualTo("java.lang.IllegalStateException: downstream said no");
        assertThat(FailurePolicy.describe(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
        assertThat(FailurePolicy.describe(new PermanentJobFailure("x".repeat(5000))))
                .hasSize(2000);
        // made without words: the job still fails with an error, not with a NullPointerException in the worker
        assertThat(FailurePolicy.describe(new PermanentJobFailure(null)))
                .isEqualTo(PermanentJobFailure.class.getName());
        assertThat(FailurePolicy.describe(new RetryJobLater(null, Duration.ofSeconds(1))))
                .isEqualTo(RetryJobLater.class.getName());
    }

    @Test
    void theStackTraceIsKeptOnlyWhereItSaysSomethingAndCapped() {
        assertThat(FailurePolicy.stackTrace(new PermanentJobFailure("422"))).isEmpty();
        assertThat(FailurePolicy.stackTrace(new RetryJobLater("busy", null))).isEmpty();
        assertThat(FailurePolicy.stackTrace(new TimeoutException("timed out after 200 ms")))
                .isEmpty();
        assertThat(FailurePolicy.stackTrace(new IllegalStateException("no")))
                .startsWith("java.lang.IllegalStateException: no")
                .contains("FailurePolicyTest");
        assertThat(FailurePolicy.stackTrace(deep(2000))).hasSize(8192);
    }

    private static RuntimeException deep(int frames) {
        return frames == 0 ? new IllegalStateException("deep") : deep(frames - 1);
    }
}
