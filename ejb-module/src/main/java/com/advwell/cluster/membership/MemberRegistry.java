package com.advwell.cluster.membership;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Replica membership in Redis without the container: a hash per replica that expires unless heartbeats renew it, and
 * a sorted-set index scored by expiry (Redis's clock), from which expired members are pruned.
 */
public final class MemberRegistry {

    private static final RedisScript HEARTBEAT = RedisScript.load("memberHeartbeat-2.lua");
    private static final RedisScript LIST = RedisScript.load("memberList-1.lua");
    private static final RedisScript PRUNE = RedisScript.load("memberPrune-1.lua");
    private static final RedisScript LEAVE = RedisScript.load("memberLeave-2.lua");

    private final UnifiedJedis redis;
    private final RedisKeys.Cluster keys;
    private final long ttlMillis;

    public MemberRegistry(UnifiedJedis redis, RedisKeys.Cluster keys, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.ttlMillis = ttl.toMillis();
    }

    /** Writes the member's record for another TTL; returns Redis's time of the heartbeat (ms). */
    public long heartbeat(Member self) {
        List<String> args = new ArrayList<>();
        args.add(self.instanceId());
        args.add(Long.toString(ttlMillis));
        for (Map.Entry<String, String> f : self.fields().entrySet()) {
            args.add(f.getKey());
            args.add(f.getValue());
        }
        return (Long) HEARTBEAT.eval(redis, List.of(keys.member(self.instanceId()), keys.members()), args);
    }

    /** Instance ids of live members (one round trip). */
    public List<String> liveIds() {
        @SuppressWarnings("unchecked")
        List<Object> ids = (List<Object>) LIST.eval(redis, List.of(keys.members()), List.of());
        return ids.stream().map(String::valueOf).toList();
    }

    /** Live members, in instance id order. A member indexed but whose record already expired is left out. */
    public List<Member> members() {
        List<Member> live = new ArrayList<>();
        for (String id : liveIds()) {
            Map<String, String> fields = redis.hgetAll(keys.member(id));
            if (!fields.isEmpty()) {
                live.add(Member.fromFields(fields));
            }
        }
        live.sort(java.util.Comparator.comparing(Member::instanceId));
        return live;
    }

    /** Drops expired members from the index; returns how many. */
    public long prune() {
        return (Long) PRUNE.eval(redis, List.of(keys.members()), List.of());
    }

    /** Removes the member at once (graceful shutdown). */
    public void leave(String instanceId) {
        LEAVE.eval(redis, List.of(keys.member(instanceId), keys.members()), List.of(instanceId));
    }
}
