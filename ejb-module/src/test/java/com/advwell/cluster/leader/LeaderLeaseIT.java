package com.advwell.cluster.leader;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisSubscription;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * Several replicas' leases in one JVM against a real Redis: one leader at a time, self-demotion before the lease
 * expires in Redis, fast takeover on release, fencing after a stale epoch.
 */
class LeaderLeaseIT {

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-election");

    private JedisPooled redis;
    private RedisKeys.Cluster keys;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<RedisSubscription> listeners = new ArrayList<>();

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        keys = new RedisKeys(testRedis.prefix()).cluster();
    }

    @AfterEach
    void close() {
        listeners.forEach(RedisSubscription::close);
    }

    private LeaderLease replica(String id, long leaseMs) {
        Duration lease = Duration.ofMillis(leaseMs);
        return new LeaderLease(
                redis, keys, id, lease, LeaderLease.defaultSafetyMargin(lease), new LeaderLease.Listener() {
                    @Override
                    public void gained(long epoch) {
                        events.add(id + " gained " + epoch);
                    }

                    @Override
                    public void lost(long epoch, String why) {
                        events.add(id + " lost " + epoch);
                    }
                });
    }

    private static long leaders(List<LeaderLease> replicas) {
        return replicas.stream().filter(LeaderLease::isLeader).count();
    }

    @Test
    void exactlyOneOfThreeLeadsAndKeepsLeadingWhileItRenews() throws Exception {
        List<LeaderLease> replicas = List.of(replica("r1", 3000), replica("r2", 3000), replica("r3", 3000));
        for (int round = 0; round < 10; round++) {
            replicas.forEach(LeaderLease::tick);
            assertThat(leaders(replicas)).isEqualTo(1);
            Thread.sleep(100);
        }
        LeaderLease leader =
                replicas.stream().filter(LeaderLease::isLeader).findFirst().orElseThrow();
        assertThat(leader.epoch()).isEqualTo(1);
        assertThat(leader.transitions()).isEqualTo(1);
        assertThat(leader.status().owner()).contains(leader.owner());
        assertThat(leader.status().leaderInstanceId()).contains(leader.owner().substring(0, 2));
        assertThat(leader.status().remainingMillis()).isBetween(1L, 3000L);
    }

    @Test
    void aLeaderWhoseRenewalsStopDemotesItselfBeforeTheLeaseExpiresInRedis() throws Exception {
        LeaderLease leader = replica("paused", 3000);
        LeaderLease follower = replica("follower", 3000);
        leader.tick();
        follower.tick();
        assertThat(leader.isLeader()).isTrue();
        long start = System.nanoTime();
        // no more ticks from the leader: as if paused or cut off from Redis
        while (leader.isLeader()) {
            Thread.sleep(10);
        }
        long demotedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long ttl = redis.pttl(keys.lease());
        assertThat(ttl)
                .as("lease still held in Redis when the leader stopped acting")
                .isGreaterThan(500);
        assertThat(demotedAfter).isBetween(1500L, 2100L);
        follower.tick();
        assertThat(follower.isLeader())
                .as("nobody may acquire before the TTL runs out")
                .isFalse();
        Thread.sleep(ttl + 50);
        follower.tick();
        assertThat(follower.isLeader()).isTrue();
        assertThat(follower.epoch()).isEqualTo(2);
        assertThat(events).containsExactly("paused gained 1", "paused lost 1", "follower gained 2");
        // the old leader comes back: its term is over and the lease is taken
        leader.tick();
        assertThat(leader.isLeader()).isFalse();
        assertThat(leader.transitions()).isEqualTo(2);
    }

    @Test
    void aReleasedLeaseIsTakenOverAtOnceThroughPubSub() throws Exception {
        LeaderLease leader = replica("leaving", 10_000);
        leader.tick();
        List<LeaderLease> followers = List.of(replica("f1", 10_000), replica("f2", 10_000));
        for (LeaderLease f : followers) {
            RedisSubscription releases =
                    new RedisSubscription(redis, List.of(keys.releasedChannel()), (ch, m) -> f.tick(), () -> {}, 100);
            listeners.add(releases);
            Thread t = new Thread(releases, "releases-" + f.owner());
            t.setDaemon(true);
            t.start();
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (!listeners.stream().allMatch(RedisSubscription::subscribed) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        followers.forEach(LeaderLease::tick);
        assertThat(leaders(followers)).isZero();

        long start = System.nanoTime();
        leader.resign();
        assertThat(leader.isLeader()).isFalse();
        while (leaders(followers) == 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(1);
        }
        long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("takeover after release: " + takeoverMs + " ms");
        assertThat(leaders(followers)).isEqualTo(1);
        assertThat(takeoverMs).isLessThan(1000);
    }

    @Test
    void aFencedLeaderStepsDownAndComesBackWithANewerEpoch() {
        LeaderLease leader = replica("fenced", 10_000);
        leader.tick();
        assertThat(leader.epoch()).isEqualTo(1);
        // the ledger showed epoch 7 (e.g. a failover lost the epoch increments)
        leader.fenced(7);
        assertThat(leader.isLeader()).isFalse();
        leader.tick();
        assertThat(leader.isLeader()).isTrue();
        assertThat(leader.epoch()).isEqualTo(8);
        // a newer epoch seen by a replica that is still ahead does not demote it
        leader.fenced(5);
        assertThat(leader.isLeader()).isTrue();
    }

    @Test
    void aLeaderThatLostItsLeaseLearnsAtTheNextRenew() {
        LeaderLease leader = replica("a", 10_000);
        leader.tick();
        redis.del(keys.lease());
        LeaderLease other = replica("b", 10_000);
        other.tick();
        assertThat(other.isLeader()).isTrue();
        leader.tick();
        assertThat(leader.isLeader()).isFalse();
        assertThat(events).contains("a lost 1", "b gained 2");
    }
}
