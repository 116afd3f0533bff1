package com.advwell.jobs.control;

import java.util.regex.Pattern;

/**
 * Every Redis key of one queue, in one place. All keys share the hash tag {@code {<queue>}}, so a future Redis
 * Cluster keeps one queue on one slot; the Lua scripts get {@link #base()} and derive the rest the same way
 * (see {@code lua/include/queue.lua}).
 */
public record QueueKeys(String prefix, String queue) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /** Separates the tenant from the id in a job's {@link #ref ref}. */
    public static final char TENANT_SEPARATOR = '/';

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

    /**
     * A job's id inside the queue, its "ref": the key suffix and the member of every list and set. A system job's
     * ref is its id; a tenant's job's is {@code <tenant>/<id>}, so every tenant has a namespace of its own and two
     * tenants may use the same id. Neither a job id ({@link JobSpec}) nor a tenant id may contain the separator.
     * {@code addJobs-1.lua} builds the same ref from an add's id and tenant, in the script (no extra round trip).
     */
    public static String ref(String tenant, String id) {
        return tenant == null ? id : tenant + TENANT_SEPARATOR + id;
    }

    /** The id the producer gave (or the queue generated), without the tenant: what the API shows. */
    public static String idOf(String ref) {
        int at = ref.indexOf(TENANT_SEPARATOR);
        return at < 0 ? ref : ref.substring(at + 1);
    }

    /** The job's hash, by its {@link #ref ref}. */
    public String job(String ref) {
        return base() + "j:" + ref;
    }

    public String logs(String ref) {
        return base() + "l:" + ref;
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
