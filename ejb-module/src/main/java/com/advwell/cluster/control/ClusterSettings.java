package com.advwell.cluster.control;

import com.advwell.cluster.leader.LeaderLease;
import com.advwell.platform.config.Settings;
import java.time.Duration;

/**
 * Settings of leader election, membership and the ledger: {@code LEADER_LEASE_MS}, {@code MEMBERSHIP_HEARTBEAT_MS},
 * {@code LEDGER_RETENTION_DAYS}.
 */
public record ClusterSettings(Duration lease, Duration heartbeat, int ledgerRetentionDays) {

    public static ClusterSettings from(Settings settings) {
        return new ClusterSettings(
                settings.millis("LEADER_LEASE_MS", 10_000, 3_000, 600_000),
                settings.millis("MEMBERSHIP_HEARTBEAT_MS", 2_000, 500, 60_000),
                settings.integer("LEDGER_RETENTION_DAYS", 30, 1, 3650));
    }

    /** How long before the lease's end a leader stops acting: a fifth of the lease, at least one second. */
    public Duration safetyMargin() {
        return LeaderLease.defaultSafetyMargin(lease);
    }

    /** Leases are renewed every third of their length, so two renewals can fail before the leader steps down. */
    public Duration renewEvery() {
        return lease.dividedBy(3);
    }

    /** A membership record outlives three missed heartbeats. */
    public Duration memberTtl() {
        return heartbeat.multipliedBy(3);
    }
}
