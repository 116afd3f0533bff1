package com.advwell.platform.redis;

import java.util.regex.Pattern;

/**
 * The one builder of the deployment's Redis key and channel names, {@code <prefix>:<scope>:<name>}, and the only place
 * that defines their layout (the queue scripts' copy excepted, see below). Keys used together carry one hash tag, so a
 * future Redis Cluster keeps them on one slot: {@code {<queue>}} for each queue, {@code {cluster}} for the lease, its
 * epoch and the membership. The strings are a contract with the data already in Redis and with the operators' scripts
 * and docs: never change one.
 *
 * <p>The queue scripts get one key, {@link Queue#base()}, and derive the others in Lua ({@code lua/include/queue.lua},
 * its "Keys" section and nowhere else), unlike bullmq, which passes every fixed key. Most keys a script touches are
 * only known inside it (the hash of each job it pops, expires or evicts), so the scripts derive keys in any case;
 * passing the fixed ones as well would put up to 19 more strings on every add and fetch, built on the hot path and
 * sent with every call, to name keys the script could name itself. All of them share the queue's hash tag, so they
 * stay on the slot of the key that is passed. {@code QueueKeyLayoutIT} runs the Lua derivation against this class for
 * every key and {@code QueueScriptKeysTest} checks that no script derives a key anywhere else.
 */
public final class RedisKeys {

    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final String prefix;
    private final Cluster cluster;
    private final Sessions sessions;

    /** @param prefix {@code REDIS_KEY_PREFIX}; a test's own random prefix keeps its keys apart */
    public RedisKeys(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("a key prefix is required");
        }
        this.prefix = prefix;
        this.cluster = new Cluster(prefix + ":{cluster}:");
        this.sessions = new Sessions(prefix + ":{session}:");
    }

    public String prefix() {
        return prefix;
    }

    /** Matches every key of the deployment, for tools and tests that clean up. */
    public String pattern() {
        return prefix + ":*";
    }

    /** Whether {@code name} can name a queue: it becomes a hash tag, so no braces, and it is short. */
    public static boolean validQueueName(String name) {
        return name != null && QUEUE_NAME.matcher(name).matches();
    }

    /** The keys of one queue; throws {@link IllegalArgumentException} unless {@link #validQueueName}. */
    public Queue queue(String name) {
        if (!validQueueName(name)) {
            throw new IllegalArgumentException("queue name must match " + QUEUE_NAME.pattern() + ": " + name);
        }
        return new Queue(name, prefix + ":q:{" + name + "}:");
    }

    /** The keys of the leader lease and the membership. */
    public Cluster cluster() {
        return cluster;
    }

    /** The keys of the console's sessions. */
    public Sessions sessions() {
        return sessions;
    }

    /** The short-lived key a replica's diagnostics write and read back on the master (no hash tag: used alone). */
    public String diagnostics(String instanceId) {
        return prefix + ":diagnostics:" + instanceId;
    }

    /** Pub/sub channel on which a replica announces a revoked API key. */
    public String keyRevocations() {
        return prefix + ":auth:revoked";
    }

    /** Pub/sub channel on which replicas confirm that they forgot a revoked API key. */
    public String keyRevocationAcks() {
        return keyRevocations() + ":ack";
    }

    /**
     * Every key of one queue: {@code <prefix>:q:{<queue>}:<suffix>}. A job's keys end in its ref (the job's id, or
     * {@code <tenant>/<id>} for a tenant's job), which the caller builds.
     */
    public static final class Queue {

        private final String name;
        private final String base;

        private Queue(String name, String base) {
            this.name = name;
            this.base = base;
        }

        public String name() {
            return name;
        }

        /** What every key of the queue starts with; the queue scripts' {@code KEYS[1]}. */
        public String base() {
            return base;
        }

        /** The job's hash. */
        public String job(String ref) {
            return base + "j:" + ref;
        }

        /** The job's log lines (a list). */
        public String logs(String ref) {
            return base + "l:" + ref;
        }

        /** The waiting list of one priority, 0-9. */
        public String waiting(int priority) {
            return base + "w" + priority;
        }

        /** Delayed jobs, scored by due time. */
        public String delayed() {
            return base + "d";
        }

        /** Active jobs, scored by lock deadline. */
        public String active() {
            return base + "a";
        }

        /** Completed jobs, scored by finish time. */
        public String completed() {
            return base + "c";
        }

        /** Failed jobs, scored by finish time. */
        public String failed() {
            return base + "f";
        }

        /** The queue's settings and flags (a hash). */
        public String meta() {
            return base + "m";
        }

        /** The queue's totals (a hash). */
        public String totals() {
            return base + "n";
        }

        /** The wake-up list idle consumers block on. */
        public String signal() {
            return base + "sig";
        }

        /** The rate limit's window counter. */
        public String rateLimit() {
            return base + "rl";
        }

        /** The event stream. */
        public String events() {
            return base + "ev";
        }
    }

    /** The cluster's keys, all under the hash tag {@code {cluster}}: the lease and its epoch are used in one script. */
    public static final class Cluster {

        private final String base;

        private Cluster(String base) {
            this.base = base;
        }

        /** Hash {owner, epoch} with the lease time as TTL. */
        public String lease() {
            return base + "leader:lease";
        }

        /** Counter of leadership terms; never expires. */
        public String epoch() {
            return base + "leader:epoch";
        }

        /** Pub/sub channel on which a leader announces that it released the lease. */
        public String releasedChannel() {
            return base + "leader:released";
        }

        /** Sorted set of member ids scored by when their heartbeat expires. */
        public String members() {
            return base + "members";
        }

        /** Hash describing one replica; expires unless heartbeats renew it. */
        public String member(String instanceId) {
            return base + "member:" + instanceId;
        }
    }

    /**
     * The console's session keys, all under the hash tag {@code {session}}: a sign-in writes the session and its API
     * key's index in one script.
     */
    public static final class Sessions {

        private final String base;

        private Sessions(String base) {
            this.base = base;
        }

        /** Hash of one session, by the digest of its id (never the id itself: the id is the cookie). */
        public String session(String digest) {
            return base + "s:" + digest;
        }

        /** Set of the session keys opened with one API key, so that revoking the key ends them. */
        public String byApiKey(String keyId) {
            return base + "k:" + keyId;
        }
    }
}
