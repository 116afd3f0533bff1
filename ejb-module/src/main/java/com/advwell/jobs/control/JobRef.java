package com.advwell.jobs.control;

/**
 * A job's name inside its queue, its "ref": the suffix of its keys and the member of every list and set. A system
 * job's ref is its id; a tenant's job's is {@code <tenant>/<id>}, so every tenant has a namespace of its own and two
 * tenants may use the same id. Neither a job id ({@link JobSpec}) nor a tenant id may contain the separator.
 * {@code addJobs-1.lua} builds the same ref from an add's id and tenant, in the script (no extra round trip).
 */
public final class JobRef {

    /** Separates the tenant from the id. */
    public static final char TENANT_SEPARATOR = '/';

    private JobRef() {}

    public static String of(String tenant, String id) {
        return tenant == null ? id : tenant + TENANT_SEPARATOR + id;
    }

    /** The id the producer gave (or the queue generated), without the tenant: what the API shows. */
    public static String idOf(String ref) {
        int at = ref.indexOf(TENANT_SEPARATOR);
        return at < 0 ? ref : ref.substring(at + 1);
    }
}
