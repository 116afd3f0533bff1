package com.advwell.security.control;

import com.advwell.platform.config.Settings;
import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import com.advwell.platform.redis.RedisClients;
import com.advwell.platform.redis.RedisSubscription;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * Authentication off the database hot path: resolves presented API keys through this replica's {@link CallerCache}
 * ({@code AUTH_CACHE_TTL_SECONDS}, {@code AUTH_CACHE_MAX_KEYS}) and takes part in revocation through
 * {@link KeyRevocations} on {@code <REDIS_KEY_PREFIX>:auth:revoked}. A key revoked on any replica is refused by
 * every replica from its next request: once the revoking transaction commits, and before the response, this
 * replica forgets it and every subscribed replica confirms it did too (waiting at most {@code REDIS_TIMEOUT_MS});
 * the TTL bounds a missed announcement.
 */
@ApplicationScoped
public class KnownCallers {

    private static final Logger LOG = Logger.getLogger(KnownCallers.class.getName());

    @Inject
    Accounts accounts;

    @Inject
    Redis redis;

    @Inject
    Replica replica;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private CallerCache cache;
    private UnifiedJedis subscriber;
    private KeyRevocations revocations;
    private ScheduledFuture<?> pings;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: listen for revocations from deployment on, not from the first request
    }

    @PostConstruct
    void start() {
        Settings s = Settings.fromMicroProfileConfig();
        Duration ttl = Duration.ofSeconds(s.integer("AUTH_CACHE_TTL_SECONDS", 30, 0, 3600));
        int maxKeys = s.integer("AUTH_CACHE_MAX_KEYS", 10_000, 1, 1_000_000);
        cache = new CallerCache(maxKeys, ttl);
        subscriber = RedisClients.create(
                redis.settings(), "advwell-auth-sub:" + replica.instanceId(), RedisSubscription.SOCKET_TIMEOUT_MILLIS);
        revocations = new KeyRevocations(
                redis.client(),
                subscriber,
                redis.keys().keyRevocations(),
                redis.keys().keyRevocationAcks(),
                cache,
                Duration.ofMillis(redis.settings().timeoutMillis()));
        revocations.start(threads);
        long every = RedisSubscription.PING_EVERY_MILLIS;
        pings = scheduler.scheduleWithFixedDelay(revocations::ping, every, every, TimeUnit.MILLISECONDS);
        LOG.info(() -> "API keys: resolved callers kept " + ttl.toSeconds() + " s, at most " + maxKeys
                + " keys; revocations announced on " + redis.keys().keyRevocations());
    }

    /** The caller a presented key belongs to, if the key exists, matches and is not revoked. */
    public Optional<Caller> authenticate(String presentedKey) {
        return cache.resolve(presentedKey, accounts::storedKey);
    }

    void revoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeyRevoked event) {
        revocations.revoked(event.keyId());
    }

    @PreDestroy
    void stop() {
        if (pings != null) {
            pings.cancel(false);
        }
        if (revocations != null) {
            revocations.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
