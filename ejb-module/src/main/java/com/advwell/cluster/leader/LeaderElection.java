package com.advwell.cluster.leader;

import com.advwell.cluster.control.ClusterSettings;
import com.advwell.platform.config.Settings;
import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import com.advwell.platform.redis.RedisClients;
import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisSubscription;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * This replica's part in leader election: campaigns and renews the Redis lease every third of its length on the
 * container's scheduler, takes over at once when the leader announces a release, and releases the lease on
 * shutdown. Replicas with {@code ENABLE_CRON=false} never campaign. The lease has Redis clients of its own, so it
 * can still be released while the rest of the application shuts down, and a busy shared pool cannot delay a renew.
 */
@ApplicationScoped
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class.getName());

    @Inject
    Replica replica;

    @Inject
    Redis redis;

    @Inject
    Event<LeadershipGained> gained;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedThreadFactory threads;

    private ClusterSettings settings;
    private UnifiedJedis leaseClient;
    private UnifiedJedis subscriberClient;
    private LeaderLease lease;
    private RedisSubscription releases;
    private ScheduledFuture<?> campaign;
    private volatile LeadershipGained lastGained;
    private Thread releaseOnSignal;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: the lease's status is readable from deployment on
    }

    @PostConstruct
    void start() {
        settings = ClusterSettings.from(Settings.fromMicroProfileConfig());
        RedisKeys.Cluster keys = redis.keys().cluster();
        leaseClient = RedisClients.create(redis.settings(), "advwell-lease:" + replica.instanceId());
        lease = new LeaderLease(
                leaseClient,
                keys,
                replica.instanceId(),
                settings.lease(),
                settings.safetyMargin(),
                new LeaderLease.Listener() {
                    @Override
                    public void gained(long epoch) {
                        LeadershipGained event = new LeadershipGained(epoch, Instant.now());
                        lastGained = event;
                        gained.fire(event);
                    }

                    @Override
                    public void lost(long epoch, String why) {
                        // logged by the lease; guarded tasks ask isLeader() on every firing
                    }
                });
    }

    /**
     * Starts campaigning (called once the schema is migrated, by {@link CampaignStart}): a leader must be able to
     * write the ledger and call the task beans as soon as it wins.
     */
    public synchronized void startCampaign() {
        if (campaign != null) {
            return;
        }
        if (!replica.cronEnabled()) {
            LOG.info("ENABLE_CRON=false: this replica never campaigns for leadership");
            return;
        }
        RedisKeys.Cluster keys = redis.keys().cluster();
        subscriberClient = RedisClients.create(
                redis.settings(),
                "advwell-lease-sub:" + replica.instanceId(),
                RedisSubscription.SOCKET_TIMEOUT_MILLIS); // pinged every renew period
        releases = new RedisSubscription(
                subscriberClient, List.of(keys.releasedChannel()), (ch, m) -> campaignNow(), () -> {}, 500);
        Thread listener = threads.newThread(releases);
        listener.setName("advwell-leader-releases");
        listener.start();
        long period = settings.renewEvery().toMillis();
        campaign = scheduler.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.MILLISECONDS);
        // On SIGTERM the runtime undeploys the application before @PreDestroy runs here, which takes most of a second;
        // a JVM shutdown hook releases the lease the moment the signal arrives, so a follower takes over at once.
        releaseOnSignal = new Thread(lease::resign, "advwell-leader-release-on-shutdown");
        Runtime.getRuntime().addShutdownHook(releaseOnSignal);
        LOG.info(() -> "campaigning for leadership: lease " + settings.lease().toMillis() + " ms, renewed every "
                + period + " ms, stops acting " + settings.safetyMargin().toMillis() + " ms before the lease ends");
    }

    private void tick() {
        lease.tick();
        releases.ping();
        // A leader that died holds the lease until its TTL runs out; campaign right then rather than up to a renew
        // period later, so a kill -9 is followed by a new leader within the lease plus a few milliseconds.
        long left = lease.heldForMillis();
        if (left >= 0 && left < settings.renewEvery().toMillis()) {
            try {
                scheduler.schedule(lease::tick, left + 20, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "could not schedule a campaign at lease expiry", e);
            }
        }
    }

    private void campaignNow() {
        try {
            scheduler.execute(lease::tick);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not campaign after a release (shutting down?)", e);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (campaign != null) {
            campaign.cancel(false);
        }
        if (releaseOnSignal != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(releaseOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook has run or is running
            }
        }
        if (releases != null) {
            releases.close();
        }
        lease.resign();
        close(subscriberClient);
        close(leaseClient);
    }

    private static void close(UnifiedJedis client) {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing a lease client failed", e);
            }
        }
    }

    /** Whether this replica may act as leader now (checked against its monotonic clock on every call). */
    public boolean isLeader() {
        return lease.isLeader();
    }

    /** The current term's epoch while leader, otherwise the last term's (0 if never). */
    public long epoch() {
        return lease.epoch();
    }

    /**
     * When this replica won term {@code epoch}, by its wall clock: the instant {@link LeadershipGained} carried, up to
     * which the term's catch-up answers for missed slots. Empty for another term, and in the moment between winning
     * and the event.
     */
    public Optional<Instant> gainedAt(long epoch) {
        LeadershipGained last = lastGained;
        return last != null && last.epoch() == epoch ? Optional.of(last.at()) : Optional.empty();
    }

    public long transitions() {
        return lease.transitions();
    }

    /** The lease as Redis holds it now; throws when Redis does not answer. */
    public LeaseStatus status() {
        return lease.status();
    }

    /** The ledger holds a newer epoch than this replica's term: step down and come back with a newer one. */
    public void fenced(long newestSeen) {
        lease.fenced(newestSeen);
        if (replica.cronEnabled()) {
            campaignNow();
        }
    }
}
