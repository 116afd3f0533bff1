package com.advwell.cluster.control;

import com.advwell.cluster.leader.LeaderElection;
import com.advwell.cluster.leader.LeaseStatus;
import com.advwell.cluster.membership.Member;
import com.advwell.cluster.membership.Membership;
import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import redis.clients.jedis.exceptions.JedisException;

/** What an operator sees of the cluster: live members, the leader and its lease, and this replica's own view. */
@ApplicationScoped
public class ClusterOverview {

    @Inject
    LeaderElection election;

    @Inject
    Membership membership;

    @Inject
    Replica replica;

    @Inject
    Redis redis;

    /** The leader's instance id (null when no one leads), its epoch, the lease's remaining time from PTTL. */
    public record ClusterView(String leader, long epoch, long leaseRemainingMillis, List<Member> members, Self self) {}

    /**
     * This replica's own view: whether it acts as leader now, its epoch and transitions, and the Redis master its
     * clients follow (as Sentinel names it, checked every second) — read from memory, not asked of Redis.
     */
    public record Self(
            String instanceId, boolean leader, long epoch, long transitions, boolean cronEnabled, String redisMaster) {}

    /** Reads Redis; refused as {@link Refusal#UNAVAILABLE} when it does not answer. */
    public ClusterView view() {
        try {
            LeaseStatus lease = election.status();
            return new ClusterView(
                    lease.leaderInstanceId().orElse(null),
                    lease.epoch(),
                    Math.max(0, lease.remainingMillis()),
                    membership.members(),
                    new Self(
                            replica.instanceId(),
                            election.isLeader(),
                            election.epoch(),
                            election.transitions(),
                            replica.cronEnabled(),
                            redis.currentMaster()));
        } catch (JedisException e) {
            throw RefusedException.unavailable("Redis did not answer: " + e.getMessage(), 1);
        }
    }
}
