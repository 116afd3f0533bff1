package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.advwell.platform.redis.RedisClients;
import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisSettings;
import com.advwell.testsupport.TcpCable;
import com.advwell.testsupport.TestRedis;
import com.advwell.testsupport.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * A consumer whose Redis vanishes behind a partition while it sleeps in {@code BLPOP}: nothing is refused or reset,
 * replies just never come. The clients of {@link RedisClients} bound every wait, so the consumer notices (its error
 * and fetch age are what the {@code queue-consumers} health check reports) instead of waiting forever, and consumes
 * again once the partition heals.
 */
class QueueWorkerPartitionIT {

    @Test
    void aConsumerBlockedOnAPartitionedRedisNoticesAndRecovers() throws Exception {
        String prefix = TestServices.uniqueName("it-part");
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (JedisPooled direct = new JedisPooled(TestRedis.address());
                TcpCable cable = new TcpCable(TestServices.redisHost(), TestServices.redisPort())) {
            RedisSettings settings = new RedisSettings(
                    false,
                    List.of(),
                    "unused",
                    new HostAndPort("127.0.0.1", cable.port()),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    500,
                    8,
                    prefix);
            // as QueueConsumers builds them: the blocking client waits at most the socket timeout + 1 s
            try (UnifiedJedis client = RedisClients.create(settings, "it-consumer");
                    UnifiedJedis blocking = RedisClients.createForBlocking(settings, "it-queue", 1500)) {
                RedisKeys.Queue keys = new RedisKeys(prefix).queue("part");
                RedisJobQueue producer = new RedisJobQueue(direct, keys);
                AtomicInteger ran = new AtomicInteger();
                QueueWorker w = new QueueWorker(
                        new RedisJobQueue(client, keys),
                        blocking,
                        new WorkerOptions("a", 2, Duration.ofSeconds(30), Duration.ofMinutes(1)),
                        job -> {
                            ran.incrementAndGet();
                            return null;
                        },
                        executor,
                        scheduler,
                        new QueueWorker.Listener() {});
                w.start();
                producer.add(List.of(JobSpec.of("noop", "{}")));
                await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1);
                Thread.sleep(300); // idle now: blocked in BLPOP

                cable.cut();
                // without a bound on the blocking read the loop would sit in BLPOP forever and report nothing
                await().atMost(Duration.ofSeconds(6)).until(() -> w.lastError() != null);
                await().atMost(Duration.ofSeconds(6)).until(() -> w.lastFetchAgeMillis() > 2000);
                producer.add(List.of(JobSpec.of("noop", "{}")));
                Thread.sleep(500);
                assertThat(ran.get()).as("nothing gets through the partition").isEqualTo(1);

                cable.heal();
                await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 2);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> w.lastError() == null && w.lastFetchAgeMillis() < 1500);
                w.stop(Duration.ofSeconds(1));
            }
        } finally {
            executor.shutdownNow();
            scheduler.shutdownNow();
            try (JedisPooled direct = new JedisPooled(TestRedis.address())) {
                TestRedis.deleteAll(direct, prefix);
            }
        }
    }
}
