package com.advwell.platform.instance;

import com.advwell.platform.config.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Instant;

/** Who this replica is: its instance id, where it listens, its version and role settings. */
@ApplicationScoped
public class Replica {

    private String instanceId;
    private String host;
    private int httpPort;
    private String version;
    private boolean cronEnabled;
    private int dbPoolMax;
    private Instant startedAt;

    @PostConstruct
    void init() {
        Settings settings = Settings.fromMicroProfileConfig();
        instanceId = InstanceIds.current();
        host = settings.optional("ADVERTISED_HOST").orElseGet(Replica::localHost);
        httpPort = settings.integer("HTTP_PORT", 8080, 1, 65535);
        String implVersion = Replica.class.getPackage().getImplementationVersion();
        version = settings.string("APP_VERSION", implVersion == null ? "dev" : implVersion);
        cronEnabled = settings.bool("ENABLE_CRON", true);
        dbPoolMax = settings.integer("DB_POOL_MAX", 15, 1, 500);
        startedAt = Instant.now();
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    public String instanceId() {
        return instanceId;
    }

    public String host() {
        return host;
    }

    public int httpPort() {
        return httpPort;
    }

    public String version() {
        return version;
    }

    public boolean cronEnabled() {
        return cronEnabled;
    }

    public int dbPoolMax() {
        return dbPoolMax;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
