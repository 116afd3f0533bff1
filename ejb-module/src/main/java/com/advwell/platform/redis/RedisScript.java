package com.advwell.platform.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a resource file ({@code lua/<command>-<numberOfKeys>.lua}), called by SHA. After a failover
 * the new master's script cache is empty: {@code NOSCRIPT} is answered by sending the script itself once.
 */
public final class RedisScript {

    private final String name;
    private final String source;
    private final String sha;
    private final int numberOfKeys;

    private RedisScript(String name, String source, int numberOfKeys) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
        this.numberOfKeys = numberOfKeys;
    }

    /** Loads {@code lua/<fileName>} from the class path; the number of keys is read from the name's suffix. */
    public static RedisScript load(String fileName) {
        int dash = fileName.lastIndexOf('-');
        int dot = fileName.lastIndexOf(".lua");
        if (dash < 0 || dot < dash) {
            throw new IllegalArgumentException("script name must be <command>-<numberOfKeys>.lua: " + fileName);
        }
        int keys = Integer.parseInt(fileName.substring(dash + 1, dot));
        try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream("lua/" + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("no script lua/" + fileName + " on the class path");
            }
            return new RedisScript(fileName, new String(in.readAllBytes(), StandardCharsets.UTF_8), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object eval(UnifiedJedis redis, List<String> keys, List<String> args) {
        if (keys.size() != numberOfKeys) {
            throw new IllegalArgumentException(name + " takes " + numberOfKeys + " keys, got " + keys.size());
        }
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(source, keys, args);
        }
    }

    public String name() {
        return name;
    }

    public String sha() {
        return sha;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
