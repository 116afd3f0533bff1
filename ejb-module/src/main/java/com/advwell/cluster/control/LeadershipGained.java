package com.advwell.cluster.control;

/** CDI event: this replica became leader in {@code epoch}. Fired on the campaign thread; observers must not block. */
public record LeadershipGained(long epoch) {
}
