package com.advwell.security.control;

import com.advwell.platform.redis.RedisSubscription;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * Revocations of API keys between replicas, over one Redis pub/sub channel: a key revoked on this replica is
 * forgotten by its {@link CallerCache} at once and announced; every replica forgets an announced key as the message
 * arrives. A replica that (re)subscribes, at start-up or after a lost connection or a failover, forgets every key,
 * because it may have missed announcements meanwhile. What is left, an announcement lost while the subscription
 * looked healthy, is covered by the cache's TTL. Container-free, so tests run several replicas in one JVM.
 */
public final class KeyRevocations implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeyRevocations.class.getName());
    private static final long RESUBSCRIBE_PAUSE_MILLIS = 500;

    private final UnifiedJedis publisher;
    private final String channel;
    private final CallerCache cache;
    private final RedisSubscription subscription;

    /** {@code subscriber} must be a client of its own: a subscription holds its connection. */
    public KeyRevocations(UnifiedJedis publisher, UnifiedJedis subscriber, String channel, CallerCache cache) {
        this.publisher = publisher;
        this.channel = channel;
        this.cache = cache;
        this.subscription = new RedisSubscription(subscriber, channel, cache::invalidate, cache::clear,
                RESUBSCRIBE_PAUSE_MILLIS);
    }

    /** Starts listening on a thread of {@code threads}. */
    public void start(ThreadFactory threads) {
        Thread listener = threads.newThread(subscription);
        listener.setName("advwell-key-revocations");
        listener.start();
    }

    /**
     * A key was revoked on this replica (and the revocation committed): forgotten here before this returns, then
     * announced. An announcement that fails is logged; the other replicas then forget the key within the TTL.
     */
    public void revoked(String keyId) {
        cache.invalidate(keyId);
        try {
            publisher.publish(channel, keyId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not announce the revocation of API key " + keyId
                    + "; other replicas refuse it once their cache entry expires (AUTH_CACHE_TTL_SECONDS)", e);
        }
    }

    public boolean subscribed() {
        return subscription.subscribed();
    }

    /** Keeps an idle subscription's connection inside its read timeout and finds a dead one. */
    public void ping() {
        subscription.ping();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
