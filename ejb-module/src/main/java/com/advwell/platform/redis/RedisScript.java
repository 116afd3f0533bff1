package com.advwell.platform.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a resource file ({@code lua/<command>-<numberOfKeys>.lua}), called by SHA. After a failover
 * the new master's script cache is empty: {@code NOSCRIPT} is answered by sending the script itself once. A line
 * {@code -- @include name.lua} is replaced by {@code lua/include/name.lua}, so scripts share helpers without a
 * second round trip.
 */
public final class RedisScript {

    private static final String INCLUDE = "-- @include ";

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
        return new RedisScript(fileName, withIncludes(read("lua/" + fileName)), keys);
    }

    private static String withIncludes(String source) {
        StringBuilder out = new StringBuilder(source.length());
        for (String line : source.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith(INCLUDE)) {
                out.append(read("lua/include/"
                                + trimmed.substring(INCLUDE.length()).strip()))
                        .append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String read(String resource) {
        try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no script " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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

    /** A script's reply, and how many replicas confirmed the write before the wait ended. */
    public record Acknowledged(Object reply, long replicas) {}

    /**
     * Runs the script and then {@code WAIT replicas timeout} on the same connection (WAIT only counts the writes of
     * its own connection), in one round trip.
     */
    public Acknowledged evalAndWait(
            UnifiedJedis redis, List<String> keys, List<String> args, int replicas, long timeoutMillis) {
        try {
            return pipelined(redis, keys, args, replicas, timeoutMillis, false);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                throw e;
            }
            return pipelined(redis, keys, args, replicas, timeoutMillis, true);
        }
    }

    private Acknowledged pipelined(
            UnifiedJedis redis,
            List<String> keys,
            List<String> args,
            int replicas,
            long timeoutMillis,
            boolean sendSource) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<Object> reply = sendSource ? pipeline.eval(source, keys, args) : pipeline.evalsha(sha, keys, args);
            Response<Object> acked = pipeline.sendCommand(
                    Protocol.Command.WAIT, Integer.toString(replicas), Long.toString(timeoutMillis));
            pipeline.sync();
            Object value = reply.get();
            return new Acknowledged(value, (Long) acked.get());
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
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
