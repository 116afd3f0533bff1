package com.advwell.cluster.leader;

/**
 * CDI event: this replica became leader in {@code epoch} at {@code at} (its own wall clock, only used to find which
 * schedule slots came due before). Fired on the campaign thread; observers must not block.
 */
public record LeadershipGained(long epoch, java.time.Instant at) {}
