package com.advwell.platform.redis;

import com.advwell.platform.config.Settings;
import com.advwell.platform.instance.Replica;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * The replica's Redis client, created once at start-up through {@link RedisClients}. It logs which master it uses
 * and every change of master, and keeps the result of a periodic {@code PING} for health and metrics.
 */
@ApplicationScoped
public class Redis {

    private static final Logger LOG = Logger.getLogger(Redis.class.getName());

    @Inject
    Replica replica;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private RedisSettings settings;
    private RedisKeys keys;
    private UnifiedJedis client;
    private ScheduledFuture<?> watcher;
    private volatile String master = "unknown";
    private volatile String lastError;
    private volatile long lastPingMillis = -1;
    private final AtomicLong masterChanges = new AtomicLong();

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager creation: the first log line tells the operator where Redis is
    }

    @PostConstruct
    void connect() {
        settings = RedisSettings.from(Settings.fromMicroProfileConfig());
        keys = new RedisKeys(settings.keyPrefix());
        client = RedisClients.create(settings, "advwell:" + replica.instanceId());
        master = RedisClients.currentMaster(client, settings);
        LOG.info(() -> "Redis: " + settings.describe() + "; connected to master " + master);
        watcher = scheduler.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    private void watch() {
        try {
            String now = RedisClients.currentMaster(client, settings);
            if (!now.equals(master)) {
                masterChanges.incrementAndGet();
                String before = master;
                master = now;
                LOG.warning(() -> "Redis master changed from " + before + " to " + now);
            }
            long start = System.nanoTime();
            client.ping();
            lastPingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            lastError = null;
        } catch (RuntimeException e) {
            lastPingMillis = -1;
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.FINE, "Redis ping failed", e);
        }
    }

    @PreDestroy
    void close() {
        if (watcher != null) {
            watcher.cancel(true);
        }
        if (client != null) {
            client.close();
        }
    }

    /** The shared, thread-safe client. Never close it. */
    public UnifiedJedis client() {
        return client;
    }

    public RedisSettings settings() {
        return settings;
    }

    /** Every key and channel name of this deployment, under {@code REDIS_KEY_PREFIX}. */
    public RedisKeys keys() {
        return keys;
    }

    public String currentMaster() {
        return master;
    }

    public long masterChanges() {
        return masterChanges.get();
    }

    /** A fresh round trip to the master, for readiness; throws on failure. */
    public long pingNow() {
        long start = System.nanoTime();
        client.ping();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The last periodic ping: up or not, and the error when not. */
    public boolean lastPingOk() {
        return lastPingMillis >= 0 && lastError == null;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }
}
