package com.advwell.jobs.control;

import java.util.regex.Pattern;

/**
 * Every Redis key of one queue, in one place. All keys share the hash tag {@code {<queue>}}, so a future Redis
 * Cluster keeps one queue on one slot; the Lua scripts get {@link #base()} and derive the rest the same way
 * (see {@code lua/include/queue.lua}).
 */
public record QueueKeys(String prefix, String queue) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    public QueueKeys {
        if (!NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("queue name must match " + NAME.pattern() + ": " + queue);
        }
    }

    public static boolean validName(String queue) {
        return queue != null && NAME.matcher(queue).matches();
    }

    /** The prefix every key of the queue starts with; the scripts' {@code KEYS[1]}. */
    public String base() {
        return prefix + ":q:{" + queue + "}:";
    }

    public String job(String id) {
        return base() + "j:" + id;
    }

    public String logs(String id) {
        return base() + "l:" + id;
    }

    public String meta() {
        return base() + "m";
    }

    public String signal() {
        return base() + "sig";
    }

    public String events() {
        return base() + "ev";
    }

    /** A pattern matching every key of the queue, for tools and tests. */
    public String pattern() {
        return prefix + ":q:\\{" + queue + "\\}:*";
    }
}
