package com.advwell.jobs.control;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

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
    void concurrentCallersShareWritesMadeOnTheirOwnThreads() throws Exception {
        // no executor at all: callers of add() write themselves, so nothing may be handed to it
        BatchingProducer producer = new BatchingProducer(
                queue,
                task -> {
                    throw new AssertionError("a synchronous add used the executor");
                },
                0,
                Duration.ofMillis(100));
        long scriptCallsBefore = scriptCalls();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<RedisJobQueue.Added>> acks = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                acks.add(callers.submit(() -> producer.add(JobSpec.of("noop", "{}"))));
            }
            for (Future<RedisJobQueue.Added> a : acks) {
                assertThat(a.get(30, TimeUnit.SECONDS).created()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(queue.counts().waiting()).isEqualTo(4000);
        // 16 callers that add again as soon as they are acknowledged: adds queue up behind every write in flight
        assertThat(scriptCalls() - scriptCallsBefore).isLessThan(2000);
    }

    @Test
    void aFailedWriteFailsEveryWaitingCallerAndNoneHangs() throws Exception {
        // nothing listens on port 1: every write fails
        try (JedisPooled nowhere = new JedisPooled("127.0.0.1", 1)) {
            assertEveryAddFailsWith(
                    new BatchingProducer(
                            new RedisJobQueue(nowhere, new RedisKeys(prefix).queue("work")),
                            executor,
                            0,
                            Duration.ofMillis(100)),
                    JedisConnectionException.class);
        }
    }

    @Test
    void anErrorInAWriteFailsEveryWaitingCallerAndNoneHangs() throws Exception {
        // an Error, not an exception, out of the script call: before, only exceptions reached the batch's callers,
        // and the others parked for ever
        try (JedisPooled broken = new JedisPooled("127.0.0.1", 1) {
            @Override
            public Object evalsha(String sha1, List<String> keys, List<String> args) {
                throw new StackOverflowError("thrown by the test");
            }
        }) {
            BatchingProducer producer = new BatchingProducer(
                    new RedisJobQueue(broken, new RedisKeys(prefix).queue("work")),
                    executor,
                    0,
                    Duration.ofMillis(100));
            assertEveryAddFailsWith(producer, StackOverflowError.class);
            assertThatThrownBy(() -> producer.addAsync(JobSpec.of("noop", "{}")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StackOverflowError.class);
        }
    }

    /** 200 adds from 8 threads: each must fail with {@code cause}, none may wait for more than 30 s. */
    private static void assertEveryAddFailsWith(BatchingProducer producer, Class<? extends Throwable> cause) {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<RedisJobQueue.Added>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(callers.submit(() -> producer.add(JobSpec.of("noop", "{}"))));
            }
            for (Future<RedisJobQueue.Added> a : acks) {
                assertThatThrownBy(() -> a.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(cause);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** How many scripts this Redis has run (EVALSHA and EVAL) since it started. */
    private long scriptCalls() {
        long calls = 0;
        String info = new String((byte[]) redis.sendCommand(Protocol.Command.INFO, "commandstats"), UTF_8);
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                calls += Long.parseLong(line.replaceAll("^.*calls=(\\d+).*$", "$1"));
            }
        }
        return calls;
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
