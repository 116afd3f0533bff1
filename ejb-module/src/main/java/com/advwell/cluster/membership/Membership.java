package com.advwell.cluster.membership;

import com.advwell.cluster.control.ClusterSettings;
import com.advwell.platform.config.Settings;
import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This replica's heartbeat in Redis (who it is, where it listens, whether it runs cron, its pool size, when it joined),
 * every {@code MEMBERSHIP_HEARTBEAT_MS}; the record expires after three missed beats, so a dead replica disappears.
 */
@ApplicationScoped
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class.getName());

    @Inject
    Replica replica;

    @Inject
    Redis redis;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private MemberRegistry registry;
    private ScheduledFuture<?> beat;
    private volatile int liveMembers = -1;
    private volatile boolean lastBeatFailed;
    /** Redis's time of this process's first successful heartbeat; its place in the connection budget's order. */
    private volatile Instant joinedAt;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: the replica shows up as a member from deployment on
    }

    @PostConstruct
    void start() {
        ClusterSettings settings = ClusterSettings.from(Settings.fromMicroProfileConfig());
        registry = new MemberRegistry(redis.client(), redis.keys().cluster(), settings.memberTtl());
        long period = settings.heartbeat().toMillis();
        beat = scheduler.scheduleAtFixedRate(this::heartbeat, 0, period, TimeUnit.MILLISECONDS);
    }

    void heartbeat() {
        try {
            long at = registry.heartbeat(new Member(
                    replica.instanceId(),
                    replica.host(),
                    replica.httpPort(),
                    replica.version(),
                    replica.startedAt(),
                    replica.cronEnabled(),
                    replica.dbPoolMax(),
                    joinedAt,
                    null));
            if (joinedAt == null) {
                joinedAt = Instant.ofEpochMilli(at);
            }
            liveMembers = registry.liveIds().size();
            if (lastBeatFailed) {
                LOG.info("membership heartbeat succeeded again");
            }
            lastBeatFailed = false;
        } catch (RuntimeException e) {
            if (!lastBeatFailed) {
                LOG.log(Level.WARNING, "membership heartbeat failed: " + e, e);
            }
            lastBeatFailed = true;
        }
    }

    @PreDestroy
    void stop() {
        if (beat != null) {
            beat.cancel(false);
        }
        try {
            registry.leave(replica.instanceId());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "leaving the membership failed; the record expires by itself", e);
        }
    }

    /** Live members now (reads Redis). */
    public List<Member> members() {
        return registry.members();
    }

    /** Members seen at the last heartbeat, -1 before the first one succeeded (for metrics: no Redis call). */
    public int lastSeenCount() {
        return liveMembers;
    }

    /** Removes expired members from the index; returns how many. */
    public long prune() {
        return registry.prune();
    }
}
