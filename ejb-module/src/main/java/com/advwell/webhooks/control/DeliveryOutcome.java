package com.advwell.webhooks.control;

import java.time.Duration;
import java.util.Optional;

/** What one delivery attempt of an {@code http} job came to; the queue engine decides what each means for the job. */
public sealed interface DeliveryOutcome {

    /** The receiver answered 2xx. */
    record Delivered(int status, long millis) implements DeliveryOutcome {}

    /**
     * A failure that may pass (5xx, 429, network error, timeout, DNS); {@code retryAfter} is the receiver's
     * {@code Retry-After}, at most one hour, when it gave a usable one.
     */
    record RetryLater(String reason, Optional<Duration> retryAfter) implements DeliveryOutcome {}

    /** A failure that repeating the same request will not fix (4xx, redirect, refused destination). */
    record Rejected(String reason) implements DeliveryOutcome {}
}
