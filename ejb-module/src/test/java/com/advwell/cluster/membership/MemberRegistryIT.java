package com.advwell.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/** Membership records expire when heartbeats stop, and the index is pruned of them. */
class MemberRegistryIT {

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-members");

    private JedisPooled redis;
    private RedisKeys.Cluster keys;

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        keys = new RedisKeys(testRedis.prefix()).cluster();
    }

    private static Member member(String id, boolean cron) {
        return new Member(id, "host-" + id, 8080, "1.0", Instant.parse("2026-03-01T10:00:00Z"), cron, 15, null, null);
    }

    @Test
    void heartbeatsShowLiveMembersAndStoppedOnesDisappear() throws Exception {
        MemberRegistry shortLived = new MemberRegistry(redis, keys, Duration.ofMillis(300));
        MemberRegistry longLived = new MemberRegistry(redis, keys, Duration.ofSeconds(30));
        long at = shortLived.heartbeat(member("a", true));
        longLived.heartbeat(member("b", false));

        assertThat(longLived.members()).extracting(Member::instanceId).containsExactly("a", "b");
        Member a = longLived.members().get(0);
        assertThat(a.host()).isEqualTo("host-a");
        assertThat(a.cronEnabled()).isTrue();
        assertThat(a.dbPoolMax()).isEqualTo(15);
        assertThat(a.lastSeen().toEpochMilli()).isEqualTo(at);
        assertThat(a.startedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(a.joinedAt()).as("the first heartbeat is the join").isEqualTo(a.lastSeen());

        // a replica that knows its join time keeps it, even when its record expired in between
        Instant joined = Instant.ofEpochMilli(at - 60_000);
        Member known = new Member("a", "host-a", 8080, "1.0", a.startedAt(), true, 15, joined, null);
        long later = shortLived.heartbeat(known);
        assertThat(longLived.members().get(0).joinedAt()).isEqualTo(joined);
        assertThat(longLived.members().get(0).lastSeen().toEpochMilli()).isEqualTo(later);

        Thread.sleep(400);
        assertThat(longLived.members()).extracting(Member::instanceId).containsExactly("b");
        assertThat(redis.exists(keys.member("a"))).isFalse();
        assertThat(redis.zcard(keys.members())).isEqualTo(2);
        assertThat(longLived.prune()).isEqualTo(1);
        assertThat(redis.zrange(keys.members(), 0, -1)).containsExactly("b");

        longLived.leave("b");
        assertThat(longLived.members()).isEmpty();
        assertThat(redis.exists(keys.member("b"))).isFalse();
    }
}
