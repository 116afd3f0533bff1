package com.advwell.security.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.security.entity.Role;
import com.advwell.testsupport.TestRedis;
import com.advwell.testsupport.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Two replicas' key caches in one JVM, announcing revocations to each other through a real Redis: a revocation on
 * one has been confirmed by the other when it returns, a lost subscription comes back and forgets what it knew, and
 * a missed announcement is bounded by the TTL.
 */
class KeyRevocationsIT {

    /** A replica: its cache, its revocations, and the name of its subscription's connection. */
    private record Replica(CallerCache cache, KeyRevocations revocations, String subscriberName) {}

    private static final HostAndPort REDIS = TestRedis.address();

    /** PostgreSQL as the caches see it: the valid keys by id, and how often each replica read it. */
    private final Map<String, CallerCache.StoredKey> stored = new ConcurrentHashMap<>();

    private final AtomicInteger reads = new AtomicInteger();
    private final Function<String, Optional<CallerCache.StoredKey>> load = id -> {
        reads.incrementAndGet();
        return Optional.ofNullable(stored.get(id));
    };
    private final List<AutoCloseable> closing = new ArrayList<>();
    private JedisPooled publisher;
    private String channel;
    private String ackChannel;

    @BeforeEach
    void connect() {
        publisher = new JedisPooled(REDIS);
        RedisKeys keys = new RedisKeys(TestServices.uniqueName("it-auth"));
        channel = keys.keyRevocations();
        ackChannel = keys.keyRevocationAcks();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        publisher.close();
    }

    private Replica replica(Duration ttl) throws InterruptedException {
        String name = TestServices.uniqueName("it-auth-sub");
        JedisPooled subscriber = new JedisPooled(
                REDIS,
                DefaultJedisClientConfig.builder()
                        .clientName(name)
                        .socketTimeoutMillis(30_000)
                        .build());
        CallerCache cache = new CallerCache(100, ttl);
        KeyRevocations revocations =
                new KeyRevocations(publisher, subscriber, channel, ackChannel, cache, Duration.ofSeconds(2));
        closing.add(subscriber);
        closing.add(0, revocations);
        revocations.start(Thread::new);
        await().atMost(Duration.ofSeconds(5)).until(revocations::subscribed);
        return new Replica(cache, revocations, name);
    }

    private String issue() {
        String key = ApiKeys.generate();
        String id = ApiKeys.idOf(key);
        stored.put(
                id,
                new CallerCache.StoredKey(
                        ApiKeys.digest(key), new Caller("client-1", "Client", "tenant-1", Role.CLIENT, id)));
        return key;
    }

    @Test
    void aKeyRevokedOnOneReplicaIsRefusedByTheOtherAtOnce() throws Exception {
        Replica a = replica(Duration.ofMinutes(1));
        Replica b = replica(Duration.ofMinutes(1));
        String key = issue();
        assertThat(a.cache().resolve(key, load)).isPresent();
        assertThat(b.cache().resolve(key, load)).isPresent();
        assertThat(b.cache().resolve(key, load)).isPresent();
        assertThat(reads.get()).as("each replica read the key once").isEqualTo(2);

        stored.remove(ApiKeys.idOf(key)); // the revocation commits
        long start = System.nanoTime();
        a.revocations().revoked(ApiKeys.idOf(key));
        long took = (System.nanoTime() - start) / 1_000;
        // revoked() returns once both replicas confirmed: nothing to wait for
        assertThat(a.cache().resolve(key, load)).as("refused where revoked").isEmpty();
        assertThat(b.cache().size())
                .as("the other replica forgot it before the revocation returned")
                .isZero();
        assertThat(b.cache().resolve(key, load))
                .as("refused by the other replica")
                .isEmpty();
        assertThat(took).as("confirmed well within the timeout (µs)").isLessThan(1_000_000);
        System.out.printf("[auth] a revocation was confirmed by both replicas after %d µs%n", took);
    }

    @Test
    void aReplicaWhoseSubscriptionDroppedResubscribesAndForgetsWhatItKnew() throws Exception {
        Replica a = replica(Duration.ofMinutes(1));
        Replica b = replica(Duration.ofMinutes(1));
        String key = issue();
        assertThat(b.cache().resolve(key, load)).isPresent();
        try (Jedis admin = new Jedis(REDIS)) {
            String id = admin.clientList()
                    .lines()
                    .filter(l -> l.contains(" name=" + b.subscriberName() + " "))
                    .map(l -> l.substring(l.indexOf("id=") + 3, l.indexOf(' ', l.indexOf("id="))))
                    .findFirst()
                    .orElseThrow();
            admin.clientKill(ClientKillParams.clientKillParams().id(id));
        }
        // announcements made while it was away are lost: resubscribing empties the cache
        await().atMost(Duration.ofSeconds(5))
                .until(() -> b.cache().size() == 0 && b.revocations().subscribed());
        assertThat(b.cache().resolve(key, load)).isPresent();
        stored.remove(ApiKeys.idOf(key));
        a.revocations().revoked(ApiKeys.idOf(key));
        assertThat(b.cache().resolve(key, load))
                .as("announcements reach the new subscription")
                .isEmpty();
    }

    @Test
    void aReplicaThatDoesNotConfirmDelaysTheRevocationOnlyUntilTheTimeout() throws Exception {
        Replica a = replica(Duration.ofMinutes(1));
        try (JedisPooled silent = new JedisPooled(REDIS)) {
            // a subscriber that never confirms (a replica stuck in a pause, say)
            redis.clients.jedis.JedisPubSub mute = new redis.clients.jedis.JedisPubSub() {};
            Thread t = new Thread(() -> silent.subscribe(mute, channel));
            t.start();
            await().atMost(Duration.ofSeconds(5)).until(mute::isSubscribed);
            String key = issue();
            assertThat(a.cache().resolve(key, load)).isPresent();
            long start = System.nanoTime();
            a.revocations().revoked(ApiKeys.idOf(key));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).isBetween(1_900L, 3_000L);
            assertThat(a.cache().size()).isZero();
            mute.unsubscribe();
            t.join(5000);
        }
    }

    @Test
    void aMissedAnnouncementMattersOnlyUntilTheTtl() throws Exception {
        Duration ttl = Duration.ofMillis(700);
        Replica b = replica(ttl);
        String key = issue();
        assertThat(b.cache().resolve(key, load)).isPresent();
        long cachedAt = System.nanoTime();
        stored.remove(ApiKeys.idOf(key)); // revoked, but no replica hears of it
        assertThat(b.cache().resolve(key, load))
                .as("the stale entry, within the TTL")
                .isPresent();
        assertThat(reads.get()).isEqualTo(1);
        Thread.sleep(Math.max(0, ttl.toMillis() - (System.nanoTime() - cachedAt) / 1_000_000) + 50);
        assertThat(b.cache().resolve(key, load))
                .as("read again after the TTL, and refused")
                .isEmpty();
        assertThat(reads.get()).isEqualTo(2);
    }
}
