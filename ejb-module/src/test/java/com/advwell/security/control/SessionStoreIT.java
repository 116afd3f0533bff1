package com.advwell.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.security.entity.Role;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Console sessions against a real Redis: two stores stand for two replicas sharing it. */
class SessionStoreIT {

    @RegisterExtension
    final TestRedis redis = new TestRedis("sessions");

    private static final Caller OPERATOR = new Caller("c1", "ops", "system", Role.OPERATOR, "key1");

    private SessionStore store(Duration idle, Duration max) {
        return new SessionStore(redis.client(), new RedisKeys(redis.prefix()).sessions(), idle, max);
    }

    @Test
    void aSessionMadeOnOneReplicaIsResumedOnAnotherAndEndsOnBoth() {
        SessionStore a = store(Duration.ofMinutes(30), Duration.ofHours(12));
        SessionStore b = store(Duration.ofMinutes(30), Duration.ofHours(12));
        ConsoleSession made = a.create(OPERATOR);
        assertThat(made.idleExpiresAt()).isAfter(made.created()).isBefore(made.expiresAt());
        assertThat(Duration.between(made.created(), made.expiresAt())).isEqualTo(Duration.ofHours(12));

        ConsoleSession resumed = b.resume(made.id()).orElseThrow();
        assertThat(resumed.caller()).isEqualTo(OPERATOR);
        assertThat(resumed.csrfToken()).isEqualTo(made.csrfToken());
        assertThat(resumed.expiresAt()).isEqualTo(made.expiresAt());
        // Redis holds the digest, never the id a browser presents
        assertThat(redis.client()
                        .exists(new RedisKeys(redis.prefix()).sessions().session(made.id())))
                .isFalse();

        b.end(made.id());
        assertThat(a.resume(made.id())).isEmpty();
    }

    @Test
    void everySignInIsANewIdAndToken() {
        SessionStore s = store(Duration.ofMinutes(30), Duration.ofHours(12));
        ConsoleSession one = s.create(OPERATOR);
        ConsoleSession two = s.create(OPERATOR);
        assertThat(two.id()).isNotEqualTo(one.id());
        assertThat(two.csrfToken()).isNotEqualTo(one.csrfToken());
    }

    @Test
    void idleAndAbsoluteExpiryAreRedisTtls() throws InterruptedException {
        SessionStore s = store(Duration.ofMillis(300), Duration.ofMillis(300));
        ConsoleSession idle = s.create(OPERATOR);
        Thread.sleep(450);
        assertThat(s.resume(idle.id())).isEmpty();

        SessionStore touched = store(Duration.ofMillis(400), Duration.ofMillis(1000));
        ConsoleSession busy = touched.create(OPERATOR);
        for (int i = 0; i < 4; i++) {
            Thread.sleep(200);
            assertThat(touched.resume(busy.id()))
                    .as("used within its idle time")
                    .isPresent();
        }
        Thread.sleep(400);
        assertThat(touched.resume(busy.id()))
                .as("past its absolute expiry, however busy")
                .isEmpty();
    }

    @Test
    void revokingAKeyEndsItsSessionsOnly() {
        SessionStore s = store(Duration.ofMinutes(30), Duration.ofHours(12));
        ConsoleSession one = s.create(OPERATOR);
        ConsoleSession two = s.create(OPERATOR);
        ConsoleSession other = s.create(new Caller("c2", "acme", "t1", Role.CLIENT, "key2"));
        assertThat(s.endAllOf("key1")).isEqualTo(2);
        assertThat(s.resume(one.id())).isEmpty();
        assertThat(s.resume(two.id())).isEmpty();
        assertThat(s.resume(other.id())).isPresent();
        assertThat(s.resume(other.id()).map(c -> c.caller().tenantId())).isEqualTo(Optional.of("t1"));
    }

    @Test
    void junkIdsAreUnknown() {
        SessionStore s = store(Duration.ofMinutes(30), Duration.ofHours(12));
        assertThat(s.resume(null)).isEmpty();
        assertThat(s.resume("nope")).isEmpty();
        assertThat(s.resume(SessionTokens.generate())).isEmpty();
    }
}
