package com.advwell.cluster.leader;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import com.advwell.testsupport.TestRedis;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/** The lease scripts against a real Redis: exclusive acquisition, an epoch per term, owner-checked renew and release. */
class LeaderScriptsIT {

    private static final RedisScript ACQUIRE = RedisScript.load("leaderAcquire-2.lua");
    private static final RedisScript RENEW = RedisScript.load("leaderRenew-1.lua");
    private static final RedisScript RELEASE = RedisScript.load("leaderRelease-1.lua");

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-lease");

    private JedisPooled redis;
    private String prefix;
    private RedisKeys.Cluster keys;

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        prefix = testRedis.prefix();
        keys = new RedisKeys(prefix).cluster();
    }

    private long acquire(String owner, long leaseMs) {
        return acquire(owner, leaseMs, 0);
    }

    private long acquire(String owner, long leaseMs, long floor) {
        return (Long) ACQUIRE.eval(
                redis,
                List.of(keys.lease(), keys.epoch()),
                List.of(owner, Long.toString(leaseMs), Long.toString(floor)));
    }

    private long renew(String owner, long leaseMs, long epoch) {
        return (Long)
                RENEW.eval(redis, List.of(keys.lease()), List.of(owner, Long.toString(leaseMs), Long.toString(epoch)));
    }

    private long release(String owner) {
        return (Long) RELEASE.eval(redis, List.of(keys.lease()), List.of(owner, keys.releasedChannel()));
    }

    @Test
    void onlyOneOwnerAcquiresAndEveryAcquisitionRaisesTheEpoch() {
        assertThat(acquire("a:1", 10_000)).isEqualTo(1);
        assertThat(acquire("b:1", 10_000)).isEqualTo(LeaseReply.HELD_BY_OTHER.code());
        assertThat(redis.pttl(keys.lease())).isBetween(9_000L, 10_000L);
        assertThat(release("a:1")).isEqualTo(1);
        assertThat(acquire("b:1", 10_000)).isEqualTo(2);
        // the holder taking its own lease again starts a new term
        assertThat(acquire("b:1", 10_000)).isEqualTo(3);
        assertThat(redis.get(keys.epoch())).isEqualTo("3");
    }

    @Test
    void renewAndReleaseRefuseANonOwner() {
        long epoch = acquire("a:1", 10_000);
        assertThat(renew("b:1", 10_000, epoch)).isEqualTo(LeaseReply.NOT_OWNER.code());
        assertThat(renew("a:1", 10_000, epoch + 1))
                .as("right owner, wrong term")
                .isEqualTo(LeaseReply.NOT_OWNER.code());
        assertThat(release("b:1")).isEqualTo(LeaseReply.NOT_OWNER.code());
        assertThat(redis.hget(keys.lease(), "owner")).isEqualTo("a:1");
        assertThat(renew("a:1", 20_000, epoch)).isEqualTo(20_000);
        assertThat(redis.pttl(keys.lease())).isGreaterThan(10_000);
    }

    @Test
    void anExpiredLeaseGoesToAnotherAndTheOldOwnersRenewFails() throws Exception {
        long first = acquire("a:1", 200);
        Thread.sleep(300);
        long second = acquire("b:1", 10_000);
        assertThat(second).isEqualTo(first + 1);
        assertThat(renew("a:1", 10_000, first)).isEqualTo(LeaseReply.NOT_OWNER.code());
        assertThat(release("a:1")).isEqualTo(LeaseReply.NOT_OWNER.code());
        redis.del(keys.lease());
        assertThat(renew("b:1", 10_000, second)).isEqualTo(LeaseReply.NOT_HELD.code());
        assertThat(release("b:1")).isEqualTo(LeaseReply.NOT_HELD.code());
    }

    @Test
    void theEpochFloorLiftsAnEpochThatAFailoverSetBack() {
        assertThat(acquire("a:1", 10_000)).isEqualTo(1);
        release("a:1");
        // as if the promoted replica had lost increments: the ledger showed epoch 7
        assertThat(acquire("b:1", 10_000, 7)).isEqualTo(8);
        release("b:1");
        assertThat(acquire("c:1", 10_000)).isEqualTo(9);
    }
}
