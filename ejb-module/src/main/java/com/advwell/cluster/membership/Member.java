package com.advwell.cluster.membership;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One replica as its heartbeat record describes it. {@code joinedAt} is Redis's clock at the process's first
 * heartbeat (it orders replicas for the connection budget), {@code lastSeen} Redis's clock at the last one; a record
 * written before join times existed reads as joined at the epoch, i.e. first.
 */
public record Member(
        String instanceId,
        String host,
        int httpPort,
        String version,
        Instant startedAt,
        boolean cronEnabled,
        int dbPoolMax,
        Instant joinedAt,
        Instant lastSeen) {

    /**
     * The record's fields as stored in its Redis hash. lastSeen is added by the heartbeat script, and so is joinedAt
     * while this process does not know its own yet (before its first heartbeat succeeded).
     */
    Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("instanceId", instanceId);
        f.put("host", host);
        f.put("httpPort", Integer.toString(httpPort));
        f.put("version", version);
        f.put("startedAt", Long.toString(startedAt.toEpochMilli()));
        f.put("cronEnabled", Boolean.toString(cronEnabled));
        f.put("dbPoolMax", Integer.toString(dbPoolMax));
        if (joinedAt != null) {
            f.put("joinedAt", Long.toString(joinedAt.toEpochMilli()));
        }
        return f;
    }

    static Member fromFields(Map<String, String> f) {
        return new Member(
                f.get("instanceId"),
                f.getOrDefault("host", ""),
                parseInt(f.get("httpPort")),
                f.getOrDefault("version", ""),
                Instant.ofEpochMilli(parseLong(f.get("startedAt"))),
                Boolean.parseBoolean(f.get("cronEnabled")),
                parseInt(f.get("dbPoolMax")),
                Instant.ofEpochMilli(parseLong(f.get("joinedAt"))),
                Instant.ofEpochMilli(parseLong(f.get("lastSeen"))));
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
