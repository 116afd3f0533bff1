package com.advwell.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.security.entity.Role;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CallerCacheTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    /** PostgreSQL as the cache sees it: valid keys by id, and how often it was asked. */
    private final Map<String, CallerCache.StoredKey> stored = new HashMap<>();

    private final AtomicInteger reads = new AtomicInteger();
    private final Function<String, Optional<CallerCache.StoredKey>> load = id -> {
        reads.incrementAndGet();
        return Optional.ofNullable(stored.get(id));
    };
    private final AtomicLong clock = new AtomicLong(1_000);
    private final CallerCache cache = new CallerCache(100, TTL, clock::get);

    private String issue(String client) {
        String key = ApiKeys.generate();
        String id = ApiKeys.idOf(key);
        stored.put(
                id,
                new CallerCache.StoredKey(
                        ApiKeys.digest(key), new Caller(client, "Client " + client, "tenant-1", Role.CLIENT, id)));
        return key;
    }

    @Test
    void aKeyIsReadOnceThenServedFromMemory() {
        String key = issue("c1");
        for (int i = 0; i < 5; i++) {
            assertThat(cache.resolve(key, load))
                    .get()
                    .extracting(Caller::clientId)
                    .isEqualTo("c1");
        }
        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void unknownAndImplausibleKeysAreNeverKept() {
        for (int i = 0; i < 50; i++) {
            assertThat(cache.resolve(ApiKeys.generate(), load)).isEmpty();
        }
        assertThat(cache.resolve("short", load)).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(reads.get()).as("implausible tokens are not even looked up").isEqualTo(50);
    }

    @Test
    void aKeyWhoseDigestDiffersFromTheStoredOneIsRefusedAndNotKept() {
        String id = ApiKeys.idOf(issue("c1"));
        // another key whose lookup finds that stored key (as if it forged the 64-bit id, not the digest)
        Function<String, Optional<CallerCache.StoredKey>> sameId = ignored -> load.apply(id);
        assertThat(cache.resolve(ApiKeys.generate(), sameId)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aRevokedKeyIsReadAgainAndRefused() {
        String key = issue("c1");
        assertThat(cache.resolve(key, load)).isPresent();
        stored.remove(ApiKeys.idOf(key));
        assertThat(cache.resolve(key, load))
                .as("not yet told: still the cached caller")
                .isPresent();
        cache.invalidate(ApiKeys.idOf(key));
        assertThat(cache.resolve(key, load)).isEmpty();
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void afterTheTtlAnEntryIsReadAgain() {
        String key = issue("c1");
        assertThat(cache.resolve(key, load)).isPresent();
        clock.addAndGet(TTL.toNanos() - 1);
        assertThat(cache.resolve(key, load)).isPresent();
        assertThat(reads.get()).isEqualTo(1);
        stored.remove(ApiKeys.idOf(key)); // revoked, and the announcement was missed
        clock.addAndGet(1);
        assertThat(cache.resolve(key, load)).isEmpty();
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void clearingForgetsEveryKey() {
        String a = issue("a");
        String b = issue("b");
        cache.resolve(a, load);
        cache.resolve(b, load);
        cache.clear();
        assertThat(cache.size()).isZero();
        cache.resolve(a, load);
        assertThat(reads.get()).isEqualTo(3);
    }

    @Test
    void aReadThatRacedWithARevocationIsNotKept() {
        String key = issue("c1");
        String id = ApiKeys.idOf(key);
        // the read saw the key valid, but the revocation committed and was announced before the read returned
        Function<String, Optional<CallerCache.StoredKey>> racing = i -> {
            Optional<CallerCache.StoredKey> before = load.apply(i);
            cache.invalidate(id);
            return before;
        };
        assertThat(cache.resolve(key, racing)).isPresent();
        assertThat(cache.size()).isZero();
        stored.remove(id);
        assertThat(cache.resolve(key, load)).isEmpty();
    }

    @Test
    void theNumberOfKeysKeptIsBounded() {
        CallerCache small = new CallerCache(10, TTL, clock::get);
        for (int i = 0; i < 100; i++) {
            String key = issue("c" + i);
            assertThat(small.resolve(key, load)).isPresent();
            assertThat(small.size()).isLessThanOrEqualTo(10);
        }
        assertThat(reads.get()).isEqualTo(100);
    }

    @Test
    void expiredEntriesMakeRoomFirst() {
        CallerCache small = new CallerCache(10, TTL, clock::get);
        for (int i = 0; i < 10; i++) {
            small.resolve(issue("old" + i), load);
        }
        clock.addAndGet(TTL.toNanos());
        String fresh = issue("new");
        small.resolve(fresh, load);
        assertThat(small.size()).isEqualTo(1);
    }

    @Test
    void aZeroTtlKeepsNothing() {
        CallerCache off = new CallerCache(10, Duration.ZERO, clock::get);
        String key = issue("c1");
        assertThat(off.resolve(key, load)).isPresent();
        assertThat(off.resolve(key, load)).isPresent();
        assertThat(off.size()).isZero();
        assertThat(reads.get()).isEqualTo(2);
    }
}
