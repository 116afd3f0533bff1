package com.advwell.jobs.control;

import java.util.function.DoubleSupplier;

/**
 * How long a failed job waits before its next attempt: a fixed delay, or one that doubles with every attempt
 * (capped at an hour); with jitter the wait is drawn uniformly from its upper half, so jobs that failed together
 * (a downstream outage) do not all come back in the same millisecond. Stored on the job as {@code f:500},
 * {@code e:1000:j}.
 */
public record Backoff(Kind kind, long delayMillis, boolean jitter) {

    public enum Kind {
        FIXED,
        EXPONENTIAL
    }

    public static final Backoff DEFAULT = new Backoff(Kind.EXPONENTIAL, 1000, true);
    static final long MAX_DELAY_MILLIS = 3_600_000;

    public Backoff {
        if (kind == null) {
            throw new InvalidJobException("backoff.type", "must be fixed or exponential");
        }
        if (delayMillis < 0 || delayMillis > MAX_DELAY_MILLIS) {
            throw new InvalidJobException("backoff.delayMs", "must be between 0 and " + MAX_DELAY_MILLIS);
        }
    }

    /** The wait before the next attempt, after {@code attemptsMade} attempts (1 after the first failure). */
    public long delayAfter(int attemptsMade, DoubleSupplier random) {
        long base = delayMillis;
        if (kind == Kind.EXPONENTIAL) {
            int doublings = Math.min(Math.max(attemptsMade - 1, 0), 30);
            base = (long) Math.min((double) delayMillis * (1L << doublings), MAX_DELAY_MILLIS);
        }
        if (jitter && base > 1) {
            return base / 2 + (long) (random.getAsDouble() * (base - base / 2));
        }
        return base;
    }

    public String encode() {
        return (kind == Kind.FIXED ? "f:" : "e:") + delayMillis + (jitter ? ":j" : "");
    }

    /** Reads {@link #encode()}'s form; an empty string is the default. */
    public static Backoff decode(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT;
        }
        String[] parts = text.split(":");
        return new Backoff(
                parts[0].equals("f") ? Kind.FIXED : Kind.EXPONENTIAL,
                Long.parseLong(parts[1]),
                parts.length > 2 && parts[2].equals("j"));
    }
}
