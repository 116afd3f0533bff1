package com.advwell.platform.instance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/** Derives the replica's instance id: INSTANCE_ID when set, otherwise the host name (a container id under Docker). */
public final class InstanceIds {

    private InstanceIds() {}

    public static String resolve(Function<String, String> lookup) {
        String id = lookup.apply("INSTANCE_ID");
        if (id != null && !id.isBlank()) {
            return id.strip();
        }
        String host = lookup.apply("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "advwell-" + ProcessHandle.current().pid();
        }
    }

    /** The id of this process, from the environment and system properties. */
    public static String current() {
        return resolve(name -> {
            String value = System.getProperty(name);
            return value != null ? value : System.getenv(name);
        });
    }
}
