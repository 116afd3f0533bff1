package com.advwell.platform.redis;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * A subscription to Redis pub/sub channels that outlives its connection. Meant to run on a dedicated (managed)
 * thread: {@link #run()} blocks, and resubscribes after every error, which is how it follows a Redis failover (the
 * client's pool moves to the new master). Messages published while no subscription was open are lost, so
 * {@code onSubscribed} runs on every (re)subscription: a listener that must not miss one catches up there.
 * {@link #ping()} keeps an idle subscription from hitting the socket timeout and detects a dead connection.
 */
public final class RedisSubscription implements Runnable {

    /** Read timeout for a subscription's own client ({@link RedisClients#create(RedisSettings, String, int)}). */
    public static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    /** How often to {@link #ping()}: well inside the read timeout, so only a dead connection times out. */
    public static final long PING_EVERY_MILLIS = 10_000;

    private static final Logger LOG = Logger.getLogger(RedisSubscription.class.getName());

    private final UnifiedJedis redis;
    private final List<String> channels;
    private final BiConsumer<String, String> onMessage;
    private final Runnable onSubscribed;
    private final long retryMillis;
    private volatile boolean closed;
    private volatile JedisPubSub current;
    /** Every channel's subscription confirmed (and {@code onSubscribed} run) on the current connection. */
    private volatile boolean complete;

    /** {@code onMessage} gets the channel and the message. */
    public RedisSubscription(
            UnifiedJedis redis,
            List<String> channels,
            BiConsumer<String, String> onMessage,
            Runnable onSubscribed,
            long retryMillis) {
        this.redis = redis;
        this.channels = List.copyOf(channels);
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.retryMillis = retryMillis;
    }

    @Override
    public void run() {
        while (!closed) {
            JedisPubSub pubSub = new JedisPubSub() {
                @Override
                public void onSubscribe(String ch, int subscribedChannels) {
                    if (subscribedChannels == channels.size()) {
                        call(onSubscribed, "reacting to a subscription on " + channels);
                        complete = true;
                    }
                }

                @Override
                public void onMessage(String ch, String message) {
                    call(() -> onMessage.accept(ch, message), "reacting to a message on " + ch);
                }
            };
            current = pubSub;
            try {
                redis.subscribe(pubSub, channels.toArray(String[]::new));
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.FINE, "subscription to " + channels + " dropped; resubscribing", e);
                    pause();
                }
            } finally {
                complete = false;
                current = null;
            }
        }
    }

    private static void call(Runnable callback, String what) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed", e);
        }
    }

    /** Whether a subscription to every channel is currently open. */
    public boolean subscribed() {
        JedisPubSub pubSub = current;
        return complete && pubSub != null && pubSub.isSubscribed();
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
