package com.advwell.platform.redis;

import com.advwell.platform.config.InvalidSettingException;
import com.advwell.platform.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.HostAndPort;

/**
 * How to reach Redis: through Sentinel ({@code REDIS_SENTINEL_ENABLED=true}, {@code REDIS_SENTINELS},
 * {@code REDIS_MASTER_NAME}) or directly ({@code REDIS_HOST}, {@code REDIS_PORT}).
 */
public record RedisSettings(
        boolean sentinelEnabled,
        List<HostAndPort> sentinels,
        String masterName,
        HostAndPort direct,
        Optional<String> password,
        Optional<String> sentinelPassword,
        int database,
        int timeoutMillis,
        int poolMax,
        String keyPrefix) {

    public static RedisSettings from(Settings settings) {
        boolean sentinel = settings.bool("REDIS_SENTINEL_ENABLED", false);
        List<HostAndPort> sentinels =
                parseHosts("REDIS_SENTINELS", settings.string("REDIS_SENTINELS", "127.0.0.1:26379"));
        String host = settings.string("REDIS_HOST", "127.0.0.1");
        int port = settings.integer("REDIS_PORT", 6379, 1, 65535);
        String prefix = settings.string("REDIS_KEY_PREFIX", "advwell");
        if (!prefix.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new InvalidSettingException("REDIS_KEY_PREFIX", "use 1-64 letters, digits, '_', '.' or '-'");
        }
        return new RedisSettings(
                sentinel,
                sentinels,
                settings.string("REDIS_MASTER_NAME", "mymaster"),
                new HostAndPort(host, port),
                settings.secret("REDIS_PASSWORD"),
                settings.secret("REDIS_SENTINEL_PASSWORD"),
                settings.integer("REDIS_DB", 0, 0, 15),
                settings.integer("REDIS_TIMEOUT_MS", 2000, 100, 60000),
                settings.integer("REDIS_POOL_MAX", 64, 4, 1024),
                prefix);
    }

    /** Parses {@code host:port,host:port}; the error names the setting and the bad entry. */
    static List<HostAndPort> parseHosts(String name, String value) {
        List<HostAndPort> hosts = new ArrayList<>();
        for (String entry : value.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new InvalidSettingException(name, "expected host:port, got '" + e + "'");
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw new InvalidSettingException(name, "bad port in '" + e + "'");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidSettingException(name, "port out of range in '" + e + "'");
            }
            hosts.add(new HostAndPort(e.substring(0, colon), port));
        }
        if (hosts.isEmpty()) {
            throw new InvalidSettingException(name, "needs at least one host:port");
        }
        return List.copyOf(hosts);
    }

    /** Where this replica connects, for logs and the admin console (never includes a password). */
    public String describe() {
        return sentinelEnabled ? "sentinel master '" + masterName + "' via " + sentinels : "redis " + direct;
    }
}
