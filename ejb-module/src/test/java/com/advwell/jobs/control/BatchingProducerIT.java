package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/** Group commit of concurrent adds against a real Redis: one write for many callers, one acknowledgement each. */
class BatchingProducerIT {

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-p");

    private JedisPooled redis;
    private RedisJobQueue queue;
    private String prefix;
    private ExecutorService executor;

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        prefix = testRedis.prefix();
        queue = new RedisJobQueue(redis, new RedisKeys(prefix).queue("work"));
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    @Test
    void concurrentAddsEachGetTheirOwnIdAndAreAllWritten() throws Exception {
        BatchingProducer producer = new BatchingProducer(queue, executor, 0, Duration.ofMillis(100));
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try {
            List<Future<RedisJobQueue.Added>> acks = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String payload = "{\"i\":" + i + "}";
                acks.add(callers.submit(() -> producer.add(JobSpec.of("noop", payload))));
            }
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (Future<RedisJobQueue.Added> a : acks) {
                RedisJobQueue.Added added = a.get();
                assertThat(added.created()).isTrue();
                ids.add(added.id());
            }
            assertThat(ids).hasSize(2000);
            assertThat(queue.counts().waiting()).isEqualTo(2000);
            assertThat(queue.counts().addedTotal()).isEqualTo(2000);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void theSameClientIdInOneBatchIsOneJob() {
        BatchingProducer producer = new BatchingProducer(queue, executor, 0, Duration.ofMillis(100));
        List<CompletableFuture<RedisJobQueue.Added>> acks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            acks.add(producer.addAsync(JobSpec.of("noop", "{\"i\":" + i + "}").withId("order-1")));
        }
        long created = acks.stream()
                .map(CompletableFuture::join)
                .filter(RedisJobQueue.Added::created)
                .count();
        assertThat(created).isEqualTo(1);
        assertThat(acks).allSatisfy(a -> assertThat(a.join().id()).isEqualTo("order-1"));
        assertThat(queue.counts().waiting()).isEqualTo(1);
    }

    @Test
    void withoutTheReplicaConfirmationNoAddOfTheBatchIsAcknowledged() {
        // this Redis has no replica: WAIT 1 cannot be satisfied
        BatchingProducer producer = new BatchingProducer(queue, executor, 1, Duration.ofMillis(50));
        List<CompletableFuture<RedisJobQueue.Added>> acks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acks.add(producer.addAsync(JobSpec.of("noop", "{}")));
        }
        assertThat(acks).allSatisfy(a -> assertThatThrownBy(a::join).hasCauseInstanceOf(NotDurableException.class));
        assertThatThrownBy(() -> producer.add(JobSpec.of("noop", "{}"))).isInstanceOf(NotDurableException.class);
    }
}
