package com.advwell.platform.redis;

import java.util.LinkedHashSet;
import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The one factory for Redis clients (the operations document's {@code createRedisClient()}). With Sentinel the client
 * subscribes to the Sentinels' {@code +switch-master} and moves its pool to the new master without a restart.
 */
public final class RedisClients {

    /** Replies of a server that is no longer (or not yet) a usable master. */
    private static final List<String> NOT_MASTER_REPLIES = List.of("READONLY", "MASTERDOWN", "LOADING");

    private RedisClients() {}

    /** A pooled, thread-safe client; the caller closes it. */
    public static UnifiedJedis create(RedisSettings settings, String clientName) {
        return create(settings, clientName, settings.timeoutMillis());
    }

    /**
     * A client whose socket timeout suits blocking commands: {@code socketTimeoutMillis} must exceed the longest
     * blocking timeout used on it.
     */
    public static UnifiedJedis create(RedisSettings settings, String clientName, int socketTimeoutMillis) {
        return create(settings, clientName, socketTimeoutMillis, 0);
    }

    /**
     * A client for blocking commands ({@code BLPOP}) whose wait is bounded: Jedis otherwise waits on the socket
     * forever during a blocking command, and a consumer blocked on a master that vanished behind a partition would
     * never notice the failover. {@code blockingTimeoutMillis} must exceed the longest blocking timeout used.
     */
    public static UnifiedJedis createForBlocking(RedisSettings settings, String clientName, int blockingTimeoutMillis) {
        return create(settings, clientName, settings.timeoutMillis(), blockingTimeoutMillis);
    }

    private static UnifiedJedis create(
            RedisSettings settings, String clientName, int socketTimeoutMillis, int blockingTimeoutMillis) {
        JedisClientConfig master = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(settings.timeoutMillis())
                .socketTimeoutMillis(socketTimeoutMillis)
                .blockingSocketTimeoutMillis(blockingTimeoutMillis)
                .password(settings.password().orElse(null))
                .database(settings.database())
                .clientName(sanitize(clientName))
                .build();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(settings.poolMax());
        pool.setMaxIdle(settings.poolMax());
        pool.setMinIdle(0);
        pool.setTestOnBorrow(false);
        // a connection to a master that died is discarded on first use and replaced from the current master
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(java.time.Duration.ofSeconds(10));
        pool.setMaxWait(java.time.Duration.ofMillis(settings.timeoutMillis()));
        pool.setJmxEnabled(false);
        if (settings.sentinelEnabled()) {
            JedisClientConfig sentinel = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(settings.timeoutMillis())
                    .socketTimeoutMillis(settings.timeoutMillis())
                    .password(settings.sentinelPassword().orElse(null))
                    .build();
            return new JedisSentineled(
                    settings.masterName(), master, pool, new LinkedHashSet<>(settings.sentinels()), sentinel);
        }
        return new JedisPooled(pool, settings.direct(), master);
    }

    /** The address of the master the client currently uses. */
    public static String currentMaster(UnifiedJedis client, RedisSettings settings) {
        if (client instanceof JedisSentineled sentineled) {
            return String.valueOf(sentineled.getCurrentMaster());
        }
        return settings.direct().toString();
    }

    /**
     * Whether an error is what a failover looks like from a client: the connection broke or timed out, or the server
     * answered that it is a replica now (or not ready yet). A command that failed so may or may not have run; the
     * client's pool reaches the new master by itself, so repeating an idempotent command is worth it.
     */
    public static boolean failoverError(RuntimeException e) {
        if (e instanceof JedisConnectionException) {
            return true;
        }
        String message = e instanceof JedisDataException ? e.getMessage() : null;
        return message != null && NOT_MASTER_REPLIES.stream().anyMatch(message::startsWith);
    }

    private static String sanitize(String name) {
        // CLIENT SETNAME refuses spaces
        return name == null ? null : name.replaceAll("\\s", "_");
    }
}
