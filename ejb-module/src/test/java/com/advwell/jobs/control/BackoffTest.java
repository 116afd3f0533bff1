package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

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

    @Test
    void invalidValuesNameTheirField() {
        assertThatThrownBy(() -> new Backoff(Backoff.Kind.FIXED, -1, false))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("backoff.delayMs"));
        assertThatThrownBy(() -> JobSpec.of("x", "{}").withPriority(10))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("priority"));
        assertThatThrownBy(() -> JobSpec.of("x", "{}").withId("12345"))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThatThrownBy(() -> JobSpec.of("Bad Type", "{}"))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("type"));
        assertThatThrownBy(() -> JobSpec.of("x", "{}").withDelay(Duration.ofMillis(-1)))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("delayMs"));
        assertThatThrownBy(() -> JobSpec.of("x", "{}").withTimeout(Duration.ofMillis(5)))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("timeoutMs"));
        assertThatThrownBy(() -> QueueLimits.DEFAULT.withMaxActive(-1))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("maxActive"));
    }
}
