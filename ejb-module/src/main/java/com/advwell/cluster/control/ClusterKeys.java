package com.advwell.cluster.control;

import java.util.function.Function;

/**
 * The one place that names the cluster's Redis keys. Every key carries the hash tag {@code {cluster}} so a future Redis
 * Cluster keeps the lease and its epoch (used together in one script) on one slot.
 */
public final class ClusterKeys {

    private static final String TAG = "{cluster}";
    private final Function<String[], String> key;

    /** @param key the deployment's key function, {@code Redis::key} ({@code <prefix>:<part>:<part>...}) */
    public ClusterKeys(Function<String[], String> key) {
        this.key = key;
    }

    /** Keys under a bare prefix, for tests that run without the container. */
    public static ClusterKeys withPrefix(String prefix) {
        return new ClusterKeys(parts -> prefix + ":" + String.join(":", parts));
    }

    /** Hash {owner, epoch} with the lease time as TTL. */
    public String lease() {
        return key.apply(new String[] {TAG, "leader", "lease"});
    }

    /** Counter of leadership terms; never expires. */
    public String epoch() {
        return key.apply(new String[] {TAG, "leader", "epoch"});
    }

    /** Pub/sub channel on which a leader announces that it released the lease. */
    public String releasedChannel() {
        return key.apply(new String[] {TAG, "leader", "released"});
    }

    /** Sorted set of member ids scored by when their heartbeat expires. */
    public String members() {
        return key.apply(new String[] {TAG, "members"});
    }

    /** Hash describing one replica; expires unless heartbeats renew it. */
    public String member(String instanceId) {
        return key.apply(new String[] {TAG, "member", instanceId});
    }
}
