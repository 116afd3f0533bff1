package com.advwell.cluster.leader;

import java.util.Optional;

/**
 * The lease as Redis holds it right now: its owner ({@code instanceId:token}), epoch and remaining time (PTTL).
 * Empty owner when no one leads.
 */
public record LeaseStatus(Optional<String> owner, long epoch, long remainingMillis) {

    public static LeaseStatus vacant() {
        return new LeaseStatus(Optional.empty(), 0, -2);
    }

    /** The leader's instance id: the owner without its random token. */
    public Optional<String> leaderInstanceId() {
        return owner.map(o -> o.substring(0, Math.max(0, o.lastIndexOf(':'))));
    }
}
