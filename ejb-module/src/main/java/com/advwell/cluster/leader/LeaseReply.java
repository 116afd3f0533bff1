package com.advwell.cluster.leader;

/**
 * The non-success return codes of the {@code leader*.lua} scripts, mirrored from their header comments. Success is a
 * positive number (an epoch, a lease time, 1).
 */
public enum LeaseReply {
    /** leaderAcquire: another owner holds the lease. */
    HELD_BY_OTHER(0),
    /** leaderRenew / leaderRelease: there is no lease (it expired or was released). */
    NOT_HELD(-1),
    /** leaderRenew / leaderRelease: another owner, or another term of the same owner, holds the lease. */
    NOT_OWNER(-2);

    private final long code;

    LeaseReply(long code) {
        this.code = code;
    }

    public long code() {
        return code;
    }

    /** The reply a script's non-positive result stands for. */
    public static LeaseReply of(long code) {
        for (LeaseReply r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalStateException("unknown lease script reply " + code);
    }
}
