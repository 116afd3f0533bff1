package com.advwell.security.control;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import com.advwell.security.entity.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;

/**
 * Console sessions in Redis, the only state replicas share: a session made on one replica is resumed by any other,
 * and deleting it ends it on all of them at once. Idle and absolute expiry are Redis TTLs computed from Redis time.
 * Container-free, so it is tested against a real Redis without a server.
 */
public final class SessionStore {

    private static final RedisScript CREATE = RedisScript.load("sessionCreate-2.lua");
    private static final RedisScript TOUCH = RedisScript.load("sessionTouch-1.lua");

    private final UnifiedJedis redis;
    private final RedisKeys.Sessions keys;
    private final Duration idle;
    private final Duration max;

    public SessionStore(UnifiedJedis redis, RedisKeys.Sessions keys, Duration idle, Duration max) {
        if (idle.isNegative() || idle.isZero() || max.compareTo(idle) < 0) {
            throw new IllegalArgumentException("idle expiry must be positive and not longer than the absolute one");
        }
        this.redis = redis;
        this.keys = keys;
        this.idle = idle;
        this.max = max;
    }

    /** A new session for {@code caller}, with a fresh id and CSRF token. */
    public ConsoleSession create(Caller caller) {
        String id = SessionTokens.generate();
        String csrf = SessionTokens.generate();
        List<?> r = (List<?>) CREATE.eval(
                redis,
                List.of(keys.session(SessionTokens.digest(id)), keys.byApiKey(caller.keyId())),
                List.of(
                        Long.toString(idle.toMillis()),
                        Long.toString(max.toMillis()),
                        caller.keyId(),
                        caller.clientId(),
                        nullToEmpty(caller.clientName()),
                        nullToEmpty(caller.tenantId()),
                        caller.role().wireName(),
                        csrf));
        return new ConsoleSession(id, caller, csrf, millis(r.get(0)), millis(r.get(1)), millis(r.get(2)));
    }

    /** The session a presented id names, marked seen now; empty when unknown, expired or ended. */
    public Optional<ConsoleSession> resume(String id) {
        if (!SessionTokens.plausible(id)) {
            return Optional.empty();
        }
        List<?> r = (List<?>) TOUCH.eval(
                redis, List.of(keys.session(SessionTokens.digest(id))), List.of(Long.toString(idle.toMillis())));
        if (r.isEmpty()) {
            return Optional.empty();
        }
        Role role = Role.parse(text(r.get(4))).orElse(null);
        if (role == null) {
            return Optional.empty();
        }
        String tenant = text(r.get(3));
        Caller caller =
                new Caller(text(r.get(1)), text(r.get(2)), tenant.isEmpty() ? null : tenant, role, text(r.get(0)));
        return Optional.of(
                new ConsoleSession(id, caller, text(r.get(5)), millis(r.get(6)), millis(r.get(7)), millis(r.get(8))));
    }

    /** Ends one session (sign-out, or the old session at a new sign-in); unknown ids are ignored. */
    public void end(String id) {
        if (SessionTokens.plausible(id)) {
            redis.del(keys.session(SessionTokens.digest(id)));
        }
    }

    /** Ends every session opened with an API key (it was revoked); returns how many there were. */
    public long endAllOf(String keyId) {
        String index = keys.byApiKey(keyId);
        Set<String> sessions = redis.smembers(index);
        long ended = 0;
        for (String session : sessions) {
            ended += redis.del(session);
        }
        redis.del(index);
        return ended;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static Instant millis(Object o) {
        return Instant.ofEpochMilli(o instanceof Long l ? l : Long.parseLong(text(o)));
    }
}
