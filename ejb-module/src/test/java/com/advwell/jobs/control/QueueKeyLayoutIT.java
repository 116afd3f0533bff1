package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The queue scripts derive their keys from {@code KEYS[1]} in Lua, {@link RedisKeys.Queue} derives them in Java: the
 * two must name the same keys, or a script and the Java side would read and write different data.
 */
class QueueKeyLayoutIT {

    private static final RedisScript DERIVED = RedisScript.load("queueKeys-1.lua");

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-keys");

    @ParameterizedTest
    @CsvSource({"'', 42", "tenant-a, order-1", "t.b_c-9, x.y_z-1"})
    void theScriptsDeriveEveryKeyAsTheBuilderNamesIt(String tenant, String id) {
        RedisKeys.Queue keys = new RedisKeys(testRedis.prefix()).queue("invoices.v2_eu-1");
        String ref = JobRef.of(tenant.isEmpty() ? null : tenant, id);
        List<String> java = new ArrayList<>(List.of(ref, keys.job(ref), keys.logs(ref)));
        for (int p = 0; p <= 9; p++) {
            java.add(keys.waiting(p));
        }
        java.addAll(List.of(
                keys.delayed(),
                keys.active(),
                keys.completed(),
                keys.failed(),
                keys.meta(),
                keys.totals(),
                keys.signal(),
                keys.rateLimit(),
                keys.events()));

        Object lua = DERIVED.eval(testRedis.client(), List.of(keys.base()), List.of(tenant, id));

        assertThat(lua).isEqualTo(java);
    }

    @Test
    void aQueueInUseHoldsNoKeyTheBuilderDoesNotName() {
        RedisKeys.Queue keys = new RedisKeys(testRedis.prefix()).queue("work");
        RedisJobQueue queue = new RedisJobQueue(testRedis.client(), keys);
        queue.configure(QueueLimits.DEFAULT.withRate(1000, Duration.ofMinutes(1)));
        queue.add(List.of(
                JobSpec.of("noop", "{}").withId("a"),
                JobSpec.of("noop", "{}").withId("b").withTenant("t1"),
                JobSpec.of("noop", "{}").withId("c").withPriority(9),
                JobSpec.of("noop", "{}").withId("d").withDelay(Duration.ofHours(1))));
        List<FetchedJob> fetched =
                queue.fetch("tok", 3, Duration.ofSeconds(30), "w1").jobs();
        assertThat(fetched).hasSize(3);
        for (FetchedJob j : fetched) {
            queue.log(j, "line");
        }
        queue.complete(fetched.get(0), "{}", 0, null, Duration.ofSeconds(30), "w1");
        queue.fail(fetched.get(1), "boom", null, null);
        queue.pause();
        queue.resume();

        Set<String> named = new HashSet<>(List.of(
                keys.delayed(),
                keys.active(),
                keys.completed(),
                keys.failed(),
                keys.meta(),
                keys.totals(),
                keys.signal(),
                keys.rateLimit(),
                keys.events()));
        for (int p = 0; p <= 9; p++) {
            named.add(keys.waiting(p));
        }
        for (String ref : List.of("a", JobRef.of("t1", "b"), "c", "d")) {
            named.add(keys.job(ref));
            named.add(keys.logs(ref));
        }
        Set<String> present = scan(keys.base() + "*");
        assertThat(present)
                .as("keys the scripts wrote")
                .hasSizeGreaterThanOrEqualTo(12)
                .isSubsetOf(named);
    }

    private Set<String> scan(String pattern) {
        Set<String> out = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = testRedis
                    .client()
                    .scan(cursor, new ScanParams().match(pattern).count(1000));
            out.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }
}
