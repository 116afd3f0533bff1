package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    @Test
    void secondsAndHttpDates() {
        assertThat(RetryAfter.parse("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Thu, 02 Jan 2025 03:05:35 GMT", NOW)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Thu, 02 Jan 2025 03:00:00 GMT", NOW))
                .as("past date")
                .contains(Duration.ZERO);
    }

    @Test
    void cappedAtOneHour() {
        assertThat(RetryAfter.parse("86400", NOW)).contains(Duration.ofHours(1));
        assertThat(RetryAfter.parse("999999999999999999", NOW)).contains(Duration.ofHours(1));
        assertThat(RetryAfter.parse("99999999999999999999", NOW))
                .as("beyond long")
                .contains(Duration.ofHours(1));
        assertThat(RetryAfter.parse("Fri, 03 Jan 2025 03:04:05 GMT", NOW)).contains(Duration.ofHours(1));
    }

    @Test
    void garbageIsIgnored() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    }
}
