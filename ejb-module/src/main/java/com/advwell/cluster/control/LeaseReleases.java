package com.advwell.cluster.control;

import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * Listens for a leader's release announcement and calls back at once, so a follower campaigns immediately instead of
 * waiting for the lease to expire. Meant to run on a dedicated (managed) thread: {@link #run()} blocks, and
 * resubscribes after every error, which is how it follows a Redis failover (the client's pool moves to the new
 * master). {@link #ping()} keeps an idle subscription from hitting the socket timeout and detects a dead connection.
 */
public final class LeaseReleases implements Runnable {

    private static final Logger LOG = Logger.getLogger(LeaseReleases.class.getName());

    private final UnifiedJedis redis;
    private final String channel;
    private final Runnable onRelease;
    private final long retryMillis;
    private volatile boolean closed;
    private volatile JedisPubSub current;

    public LeaseReleases(UnifiedJedis redis, String channel, Runnable onRelease, long retryMillis) {
        this.redis = redis;
        this.channel = channel;
        this.onRelease = onRelease;
        this.retryMillis = retryMillis;
    }

    @Override
    public void run() {
        while (!closed) {
            JedisPubSub pubSub = new JedisPubSub() {
                @Override
                public void onMessage(String ch, String message) {
                    try {
                        onRelease.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "reacting to a lease release failed", e);
                    }
                }
            };
            current = pubSub;
            try {
                redis.subscribe(pubSub, channel);
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.FINE, "release subscription dropped; resubscribing", e);
                    pause();
                }
            } finally {
                current = null;
            }
        }
    }

    /** Whether a subscription is currently open. */
    public boolean subscribed() {
        JedisPubSub pubSub = current;
        return pubSub != null && pubSub.isSubscribed();
    }

    /** Sends a PING on the subscription connection, if one is open. */
    public void ping() {
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.ping();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "subscription ping failed", e);
            }
        }
    }

    public void close() {
        closed = true;
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.unsubscribe();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "unsubscribe failed", e);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
