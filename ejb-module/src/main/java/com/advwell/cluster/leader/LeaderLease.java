package com.advwell.cluster.leader;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.UnifiedJedis;

/**
 * One replica's side of the leader lease, without the container: campaigning, renewing, releasing, and deciding
 * locally whether it may still act as leader. {@link LeaderElection} drives it from managed threads; tests build
 * several in one JVM.
 *
 * <p>Self-demotion: a term is valid only until {@code lease - safetyMargin} after the <em>start</em> of the last
 * successful acquire or renew, measured with this process's monotonic clock. Redis set the TTL after that start, so
 * the lease cannot expire in Redis (and no one else can acquire) before this replica stops calling itself leader,
 * as long as the two clocks run at about the same rate. No wall clocks of different machines are compared.
 */
public final class LeaderLease {

    private static final Logger LOG = Logger.getLogger(LeaderLease.class.getName());
    private static final RedisScript ACQUIRE = RedisScript.load("leaderAcquire-2.lua");
    private static final RedisScript RENEW = RedisScript.load("leaderRenew-1.lua");
    private static final RedisScript RELEASE = RedisScript.load("leaderRelease-1.lua");
    private static final RedisScript STATUS = RedisScript.load("leaderStatus-1.lua");

    /** Called on the campaigning thread; must not block for long. */
    public interface Listener {
        void gained(long epoch);

        void lost(long epoch, String why);
    }

    /** A leadership term: its epoch and when (monotonic ns) the last successful acquire or renew started. */
    private record Term(long epoch, long validFromNanos) {}

    private final UnifiedJedis redis;
    private final RedisKeys.Cluster keys;
    private final String owner;
    private final long leaseMillis;
    private final long validNanos;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final AtomicReference<Term> term = new AtomicReference<>();
    private final AtomicLong transitions = new AtomicLong();
    private final AtomicLong epochFloor = new AtomicLong();
    private volatile long lastEpoch;
    private volatile long heldForMillis = -1;
    private volatile boolean resigned;

    public LeaderLease(
            UnifiedJedis redis,
            RedisKeys.Cluster keys,
            String instanceId,
            Duration lease,
            Duration safetyMargin,
            Listener listener) {
        this(redis, keys, instanceId, lease, safetyMargin, listener, System::nanoTime);
    }

    LeaderLease(
            UnifiedJedis redis,
            RedisKeys.Cluster keys,
            String instanceId,
            Duration lease,
            Duration safetyMargin,
            Listener listener,
            LongSupplier nanoClock) {
        if (safetyMargin.compareTo(lease) >= 0 || safetyMargin.isNegative()) {
            throw new IllegalArgumentException("safety margin must be shorter than the lease");
        }
        this.redis = redis;
        this.keys = keys;
        this.owner = instanceId + ":" + UUID.randomUUID().toString().replace("-", "");
        this.leaseMillis = lease.toMillis();
        this.validNanos = lease.minus(safetyMargin).toNanos();
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /** The safety margin the replicas use: a fifth of the lease, at least one second. */
    public static Duration defaultSafetyMargin(Duration lease) {
        return Duration.ofMillis(Math.max(1000, lease.toMillis() / 5));
    }

    /**
     * One step of the campaign loop: renew while the term is valid, otherwise try to acquire. Never throws; a Redis
     * error leaves the term to run out by itself.
     */
    public synchronized void tick() {
        if (resigned) {
            return;
        }
        Term current = term.get();
        try {
            if (current != null && valid(current)) {
                renew(current);
            } else {
                if (current != null) {
                    end(current, "no successful renew within the lease minus the safety margin");
                }
                acquire();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "lease " + (current != null ? "renew" : "acquire") + " failed", e);
            if (current != null) {
                LOG.warning(() -> "lease renew failed (" + e + "); still leader for at most "
                        + TimeUnit.NANOSECONDS.toMillis(validNanos - (nanoClock.getAsLong() - current.validFromNanos()))
                        + " ms");
            }
        }
    }

    private void acquire() {
        long start = nanoClock.getAsLong();
        long epoch = (Long) ACQUIRE.eval(
                redis,
                List.of(keys.lease(), keys.epoch()),
                List.of(owner, Long.toString(leaseMillis), Long.toString(epochFloor.get())));
        if (epoch <= 0) {
            LeaseReply.of(epoch); // HELD_BY_OTHER, or an unknown code throws
            // when the holder died, its lease runs out in this long: the caller can campaign right then
            heldForMillis = redis.pttl(keys.lease());
            return;
        }
        heldForMillis = -1;
        Term gained = new Term(epoch, start);
        term.set(gained);
        lastEpoch = epoch;
        transitions.incrementAndGet();
        LOG.info(() -> owner + " became leader, epoch " + epoch);
        listener.gained(epoch);
    }

    private void renew(Term current) {
        long start = nanoClock.getAsLong();
        long reply = (Long) RENEW.eval(
                redis,
                List.of(keys.lease()),
                List.of(owner, Long.toString(leaseMillis), Long.toString(current.epoch())));
        if (reply > 0) {
            term.compareAndSet(current, new Term(current.epoch(), start));
        } else {
            end(current, "renew refused: " + LeaseReply.of(reply));
        }
    }

    /**
     * Whether this replica may act as leader right now. Checked on every call against the monotonic clock, so a
     * leader whose renewals stopped (paused, cut off from Redis) stops acting before its lease expires in Redis.
     */
    public boolean isLeader() {
        Term current = term.get();
        if (current == null) {
            return false;
        }
        if (valid(current)) {
            return true;
        }
        end(current, "no successful renew within the lease minus the safety margin");
        return false;
    }

    private boolean valid(Term t) {
        return nanoClock.getAsLong() - t.validFromNanos() < validNanos;
    }

    private void end(Term current, String why) {
        if (term.compareAndSet(current, null)) {
            transitions.incrementAndGet();
            LOG.warning(() -> owner + " stopped being leader (epoch " + current.epoch() + "): " + why);
            listener.lost(current.epoch(), why);
        }
    }

    /**
     * The ledger holds a newer epoch than this term's (a Redis failover lost the last epoch increment, or this term
     * is simply stale): stop acting now and make the next acquisition's epoch greater than {@code newestSeen}.
     */
    public void fenced(long newestSeen) {
        epochFloor.accumulateAndGet(newestSeen, Math::max);
        Term current = term.get();
        if (current != null && current.epoch() <= newestSeen) {
            end(current, "the ledger holds a newer epoch " + newestSeen);
        }
    }

    /**
     * Gives the lease up for good and announces it (graceful shutdown): stops acting as leader first, and never
     * campaigns again.
     */
    public synchronized void resign() {
        resigned = true;
        Term current = term.get();
        if (current == null) {
            return;
        }
        end(current, "released");
        try {
            long reply = (Long) RELEASE.eval(redis, List.of(keys.lease()), List.of(owner, keys.releasedChannel()));
            if (reply <= 0) {
                LOG.info(() -> "lease release: " + LeaseReply.of(reply));
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "lease release failed (" + e + "); the others take over when it expires");
        }
    }

    /** The lease as Redis holds it now. */
    public LeaseStatus status() {
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) STATUS.eval(redis, List.of(keys.lease()), List.of());
        if (reply.isEmpty()) {
            return LeaseStatus.vacant();
        }
        return new LeaseStatus(
                java.util.Optional.of(text(reply.get(0))), Long.parseLong(text(reply.get(1))), (Long) reply.get(2));
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o);
    }

    /** This replica's current epoch while leader, otherwise the epoch of its last term (0 if never). */
    public long epoch() {
        Term current = term.get();
        return current != null ? current.epoch() : lastEpoch;
    }

    /**
     * After an acquisition refused because another replica holds the lease: how many milliseconds the lease has left
     * (-1 when unknown or when this replica holds it).
     */
    public long heldForMillis() {
        return term.get() == null ? heldForMillis : -1;
    }

    /** Times this replica gained or lost leadership. */
    public long transitions() {
        return transitions.get();
    }

    /** {@code instanceId:token}, the value the lease holds while this replica leads. */
    public String owner() {
        return owner;
    }

    public long leaseMillis() {
        return leaseMillis;
    }
}
