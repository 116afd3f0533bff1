package com.advwell.webhooks.control;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a {@code Retry-After} header (delay in seconds or an HTTP-date), capped so a receiver cannot park a job. */
final class RetryAfter {

    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {}

    /** The delay the header asks for, between zero and {@link #MAX}; empty when absent or unreadable. */
    static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.matches("\\d+")) {
            // more digits than a long holds is still "a very long time", not garbage
            return Optional.of(value.length() > 18 ? MAX : cap(Duration.ofSeconds(Long.parseLong(value))));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration delay = Duration.between(now, at);
            return Optional.of(delay.isNegative() ? Duration.ZERO : cap(delay));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration delay) {
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
