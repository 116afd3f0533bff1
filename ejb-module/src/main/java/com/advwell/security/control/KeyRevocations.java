package com.advwell.security.control;

import com.advwell.platform.redis.RedisSubscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * Revocations of API keys between replicas, over Redis pub/sub: a key revoked on this replica is forgotten by its
 * {@link CallerCache} at once and announced on {@code channel} ({@code <key id> <nonce>}); every replica forgets
 * an announced key as the message arrives and confirms on {@code ackChannel} ({@code <nonce>}), and the
 * revoking replica waits for as many confirmations as Redis counted subscribers (at most {@code ackTimeout}), so a
 * revocation has reached every subscribed replica when its response leaves. A replica that (re)subscribes, at
 * start-up or after a lost connection or a failover, forgets every key, because it may have missed announcements
 * meanwhile. What is left, an announcement lost while the subscription looked healthy, is covered by the cache's
 * TTL. Container-free, so tests run several replicas in one JVM.
 */
public final class KeyRevocations implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeyRevocations.class.getName());
    private static final long RESUBSCRIBE_PAUSE_MILLIS = 500;

    private final UnifiedJedis publisher;
    private final String channel;
    private final String ackChannel;
    private final CallerCache cache;
    private final Duration ackTimeout;
    private final RedisSubscription subscription;
    /** Revocations announced here and waiting for confirmations, by nonce. */
    private final Map<String, Semaphore> awaiting = new ConcurrentHashMap<>();

    /** {@code subscriber} must be a client of its own: a subscription holds its connection. */
    public KeyRevocations(
            UnifiedJedis publisher,
            UnifiedJedis subscriber,
            String channel,
            String ackChannel,
            CallerCache cache,
            Duration ackTimeout) {
        this.publisher = publisher;
        this.channel = channel;
        this.ackChannel = ackChannel;
        this.cache = cache;
        this.ackTimeout = ackTimeout;
        this.subscription = new RedisSubscription(
                subscriber, List.of(channel, ackChannel), this::received, cache::clear, RESUBSCRIBE_PAUSE_MILLIS);
    }

    /** Starts listening on a thread of {@code threads}. */
    public void start(ThreadFactory threads) {
        Thread listener = threads.newThread(subscription);
        listener.setName("advwell-key-revocations");
        listener.start();
    }

    /**
     * A key was revoked on this replica (and the revocation committed): forgotten here at once, then announced, and
     * returns once every subscribed replica (this one included) confirmed, or after the timeout. A failed
     * announcement or a missing confirmation is logged; those replicas refuse the key once their entry expires.
     */
    public void revoked(String keyId) {
        cache.invalidate(keyId);
        String nonce = UUID.randomUUID().toString();
        Semaphore confirmations = new Semaphore(0);
        awaiting.put(nonce, confirmations);
        try {
            long subscribers = publisher.publish(channel, keyId + " " + nonce);
            if (!confirmations.tryAcquire((int) subscribers, ackTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "revocation of API key " + keyId + ": " + confirmations.availablePermits() + " of "
                        + subscribers + " replicas confirmed within " + ackTimeout.toMillis()
                        + " ms; the others refuse it once their cache entry expires (AUTH_CACHE_TTL_SECONDS)");
            }
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "could not announce the revocation of API key " + keyId
                            + "; other replicas refuse it once their cache entry expires (AUTH_CACHE_TTL_SECONDS)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            awaiting.remove(nonce);
        }
    }

    private void received(String from, String message) {
        if (from.equals(ackChannel)) {
            Semaphore confirmations = awaiting.get(message);
            if (confirmations != null) {
                confirmations.release();
            }
            return;
        }
        int space = message.indexOf(' ');
        cache.invalidate(space < 0 ? message : message.substring(0, space));
        if (space >= 0) {
            publisher.publish(ackChannel, message.substring(space + 1));
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
