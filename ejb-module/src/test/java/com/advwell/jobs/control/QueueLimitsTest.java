package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Retention of finished jobs is bounded at 90 days to the millisecond; the contract fuzzer found 90 days + 209 ms
 * accepted (the check compared whole days).
 */
class QueueLimitsTest {

    private static QueueLimits keeping(Duration completed, Duration failed) {
        return new QueueLimits(0, 0, Duration.ofSeconds(1), 1000, completed, 1000, failed, 2);
    }

    @Test
    void ninetyDaysIsTheLongestRetention() {
        assertThat(keeping(Duration.ofDays(90), Duration.ofDays(90)).keepCompletedFor())
                .isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> keeping(Duration.ofDays(90).plusMillis(209), Duration.ofDays(1)))
                .isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).field()).isEqualTo("keepCompletedMs"));
        assertThatThrownBy(() -> keeping(Duration.ofDays(1), Duration.ofDays(90).plusMillis(1)))
                .isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).field()).isEqualTo("keepFailedMs"));
    }

    @Test
    void lessThanASecondIsRefused() {
        assertThatThrownBy(() -> keeping(Duration.ofMillis(999), Duration.ofDays(1)))
                .isInstanceOf(InvalidJobException.class);
    }
}
