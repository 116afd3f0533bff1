package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackoffTest {

    @Test
    void exponentialDoublesPerAttemptUpToAnHour() {
        Backoff b = new Backoff(Backoff.Kind.EXPONENTIAL, 1000, false);
        assertThat(b.delayAfter(1, () -> 0.5)).isEqualTo(1000);
        assertThat(b.delayAfter(2, () -> 0.5)).isEqualTo(2000);
        assertThat(b.delayAfter(4, () -> 0.5)).isEqualTo(8000);
        assertThat(b.delayAfter(40, () -> 0.5)).isEqualTo(3_600_000);
    }

    @Test
    void jitterDrawsFromTheUpperHalf() {
        Backoff b = new Backoff(Backoff.Kind.EXPONENTIAL, 1000, true);
        assertThat(b.delayAfter(3, () -> 0.0)).isEqualTo(2000);
        assertThat(b.delayAfter(3, () -> 0.999999)).isEqualTo(3999);
    }

    @Test
    void fixedStaysFixedAndTheTextFormRoundTrips() {
        Backoff f = new Backoff(Backoff.Kind.FIXED, 500, false);
        assertThat(f.delayAfter(7, () -> 0.3)).isEqualTo(500);
        assertThat(Backoff.decode(f.encode())).isEqualTo(f);
        assertThat(Backoff.decode(Backoff.DEFAULT.encode())).isEqualTo(Backoff.DEFAULT);
        assertThat(Backoff.decode("")).isEqualTo(Backoff.DEFAULT);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("backoff.delayMs", (Runnable) () -> new Backoff(Backoff.Kind.FIXED, -1, false)),
                Arguments.of("priority", (Runnable) () -> JobSpec.of("x", "{}").withPriority(10)),
                Arguments.of("id", (Runnable) () -> JobSpec.of("x", "{}").withId("12345")),
                Arguments.of("type", (Runnable) () -> JobSpec.of("Bad Type", "{}")),
                Arguments.of("delayMs", (Runnable) () -> JobSpec.of("x", "{}").withDelay(Duration.ofMillis(-1))),
                Arguments.of("timeoutMs", (Runnable) () -> JobSpec.of("x", "{}").withTimeout(Duration.ofMillis(5))),
                Arguments.of("maxActive", (Runnable) () -> QueueLimits.DEFAULT.withMaxActive(-1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void invalidValuesNameTheirField(String field, Runnable build) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(
                        InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
