package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Consumers against a real Redis, run on plain pools instead of the container's. */
class QueueWorkerIT {

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-w");

    private JedisPooled redis;
    private RedisJobQueue queue;
    private String prefix;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private final List<QueueWorker> workers = new ArrayList<>();

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        prefix = testRedis.prefix();
        queue = new RedisJobQueue(redis, new RedisKeys(prefix).queue("work"));
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void close() {
        for (QueueWorker w : workers) {
            w.stop(Duration.ZERO); // again, for most: stopping twice does nothing more
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /**
     * A worker that {@link #close} stops whatever the test did, so that a failed assertion leaves none running; with
     * the queue's stall sweep beside it on the same scheduler, as {@link QueueConsumers} runs them.
     */
    private QueueWorker worker(String id, int concurrency, Duration lock, QueueWorker.Handler handler) {
        QueueWorker w = new QueueWorker(
                queue,
                redis,
                new WorkerOptions(id, concurrency, lock, Duration.ofMinutes(1)),
                handler,
                executor,
                scheduler,
                new QueueWorker.Listener() {});
        new StalledJobSweeper(queue, (back, failed) -> {}).start(scheduler, Duration.ofMillis(200));
        workers.add(w);
        return w;
    }

    @Test
    void twoWorkersRunEveryJobExactlyOnceWithinTheirConcurrency() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        QueueWorker.Handler h = job -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            if (!seen.add(job.id())) {
                duplicates.incrementAndGet();
            }
            Thread.sleep(1);
            concurrent.decrementAndGet();
            return null;
        };
        QueueWorker a = worker("a", 4, Duration.ofSeconds(5), h);
        QueueWorker b = worker("b", 4, Duration.ofSeconds(5), h);
        a.start();
        b.start();
        queue.add(
                IntStream.range(0, 2000).mapToObj(i -> JobSpec.of("noop", "{}")).toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.counts().completedTotal() == 2000);
        assertThat(seen).hasSize(2000);
        assertThat(duplicates.get()).isZero();
        assertThat(maxConcurrent.get()).isBetween(2, 8);
        a.stop(Duration.ofSeconds(1));
        b.stop(Duration.ofSeconds(1));
    }

    @Test
    void anIdleWorkerWakesUpAtOnceForANewJob() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        QueueWorker w = worker("a", 1, Duration.ofSeconds(5), job -> {
            ran.countDown();
            return null;
        });
        w.start();
        Thread.sleep(300); // now blocked waiting for a signal
        long start = System.nanoTime();
        queue.add(List.of(JobSpec.of("noop", "{}")));
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
        // without the wake-up the worker would sleep out its 1 s wait (about 700 ms more from here)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(650);
        w.stop(Duration.ofSeconds(1));
    }

    @Test
    void aThrowingHandlerIsRetriedWithBackoffThenFailsWithItsError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        QueueWorker w = worker("a", 2, Duration.ofSeconds(5), job -> {
            calls.incrementAndGet();
            throw new IllegalStateException("downstream said no");
        });
        w.start();
        String id = queue.add(List.of(
                        JobSpec.of("noop", "{}").withAttempts(3, new Backoff(Backoff.Kind.EXPONENTIAL, 50, false))))
                .get(0)
                .id();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.job(id).state() == JobState.FAILED);
        JobView v = queue.job(id);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(v.attemptsMade()).isEqualTo(3);
        assertThat(v.error()).isEqualTo("java.lang.IllegalStateException: downstream said no");
        assertThat(v.stackTrace()).contains("QueueWorkerIT");
        w.stop(Duration.ofSeconds(1));
    }

    @Test
    void aPermanentFailureIsNotRetriedAndATimeoutCountsAsAFailedAttempt() throws Exception {
        QueueWorker w = worker("a", 2, Duration.ofSeconds(5), job -> {
            if (job.payload().equals("\"permanent\"")) {
                throw new PermanentJobFailure("422 from the receiver");
            }
            Thread.sleep(10_000);
            return null;
        });
        w.start();
        String permanent =
                queue.add(List.of(JobSpec.of("noop", "\"permanent\""))).get(0).id();
        String slow = queue.add(List.of(JobSpec.of("noop", "\"slow\"")
                        .withAttempts(1, Backoff.DEFAULT)
                        .withTimeout(Duration.ofMillis(200))))
                .get(0)
                .id();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> queue.job(permanent).state() == JobState.FAILED
                        && queue.job(slow).state() == JobState.FAILED);
        assertThat(queue.job(permanent).attemptsMade()).isEqualTo(1);
        assertThat(queue.job(permanent).error()).isEqualTo("422 from the receiver");
        assertThat(queue.job(slow).error()).contains("timed out after 200 ms");
        w.stop(Duration.ofSeconds(1));
    }

    @Test
    void aWorkerThatDiesLeavesItsJobsToAnotherWithinTheLockPlusTheCheckInterval() throws Exception {
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch testOver = new CountDownLatch(1);
        QueueWorker dying = worker("dying", 3, Duration.ofSeconds(1), job -> {
            started.countDown();
            // a dead process records nothing: ignore interrupts until the test is over
            while (testOver.getCount() > 0) {
                try {
                    testOver.await();
                } catch (InterruptedException ignored) {
                    // keep "dead"
                }
            }
            throw new IllegalStateException("too late");
        });
        dying.start();
        queue.add(IntStream.range(0, 3).mapToObj(i -> JobSpec.of("noop", "{}")).toList());
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        // simulate kill -9: the worker's threads stop, nothing is handed back, locks are no longer renewed
        executor.shutdownNow();
        scheduler.shutdownNow();
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newScheduledThreadPool(2);
        long killed = System.nanoTime();
        QueueWorker survivor = worker("survivor", 3, Duration.ofSeconds(1), job -> null);
        survivor.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.counts().completedTotal() == 3);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(took).as("lock 1 s + check interval 0.2 s + slack").isLessThan(2500);
        assertThat(queue.counts().stalledTotal()).isEqualTo(3);
        testOver.countDown();
        Thread.sleep(100);
        assertThat(queue.counts().completed())
                .as("the late handler cannot touch the jobs")
                .isEqualTo(3);
        assertThat(queue.counts().failedTotal()).isZero();
        survivor.stop(Duration.ofSeconds(1));
    }

    @Test
    void stoppingHandsUnfinishedJobsBackAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        QueueWorker w = worker("a", 2, Duration.ofSeconds(30), job -> {
            started.countDown();
            if (job.payload().equals("\"quick\"")) {
                Thread.sleep(100);
                return null;
            }
            Thread.sleep(60_000);
            return null;
        });
        w.start();
        queue.add(List.of(JobSpec.of("noop", "\"quick\""), JobSpec.of("noop", "\"slow\"")));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long handedBack = w.stop(Duration.ofMillis(500));
        assertThat(handedBack).isEqualTo(1);
        QueueCounts c = queue.counts();
        assertThat(c.completedTotal()).isEqualTo(1);
        assertThat(c.waiting()).isEqualTo(1);
        assertThat(c.active()).isZero();
    }

    @Test
    void stoppingHandsTheBufferedJobsBackAtOnceAndTheRunningOneAfterTheGrace() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        QueueWorker w = worker("a", 1, Duration.ofSeconds(30), job -> {
            if (job.payload().equals("\"block\"")) {
                blocked.countDown();
                Thread.sleep(60_000);
            }
            return null;
        });
        // quick jobs first: the worker learns its handler is fast and buffers jobs ahead of it
        List<JobSpec> specs = new java.util.ArrayList<>();
        IntStream.range(0, 500).forEach(i -> specs.add(JobSpec.of("noop", "{}")));
        specs.add(JobSpec.of("noop", "\"block\""));
        IntStream.range(0, 300).forEach(i -> specs.add(JobSpec.of("noop", "{}")));
        queue.add(specs);
        w.start();
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.counts().completedTotal() == 500);
        Thread.sleep(100); // the loop tops the buffer up meanwhile
        long held = queue.counts().active();
        assertThat(held).as("the blocked job and the jobs buffered behind it").isGreaterThan(10);

        ExecutorService stopper = Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<Long> stopped = stopper.submit(() -> w.stop(Duration.ofSeconds(3)));
        // long before the grace ends
        await().atMost(Duration.ofSeconds(1)).until(() -> queue.counts().waiting() == 300);
        assertThat(queue.counts().active())
                .as("only the running job waits for the grace")
                .isEqualTo(1);
        assertThat(stopped.isDone()).isFalse();
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo(held);
        stopper.shutdown();
        QueueCounts c = queue.counts();
        assertThat(c.active()).isZero();
        assertThat(c.waiting()).isEqualTo(301);
        assertThat(c.completedTotal()).isEqualTo(500);
    }

    @Test
    void withPrefetchOffAWorkerHoldsNoMoreJobsThanItRuns() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        QueueWorker w = new QueueWorker(
                queue,
                redis,
                new WorkerOptions("a", 2, Duration.ofSeconds(30), Duration.ofMinutes(1), 0),
                job -> {
                    if (job.payload().equals("\"block\"")) {
                        blocked.countDown();
                        release.await();
                    }
                    return null;
                },
                executor,
                scheduler,
                new QueueWorker.Listener() {});
        List<JobSpec> specs = new java.util.ArrayList<>();
        IntStream.range(0, 500).forEach(i -> specs.add(JobSpec.of("noop", "{}")));
        specs.add(JobSpec.of("noop", "\"block\""));
        specs.add(JobSpec.of("noop", "\"block\""));
        IntStream.range(0, 100).forEach(i -> specs.add(JobSpec.of("noop", "{}")));
        queue.add(specs);
        w.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> queue.counts().completedTotal() == 500 && w.activeCount() == 2);
        Thread.sleep(200); // time to prefetch, were it on
        assertThat(queue.counts().active())
                .as("the two running jobs, nothing buffered")
                .isEqualTo(2);
        assertThat(queue.counts().waiting()).isEqualTo(100);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.counts().completedTotal() == 602);
        w.stop(Duration.ofSeconds(1));
    }

    @Test
    void aSlowJobDoesNotHoldUpTheJobsBufferedBehindIt() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        QueueWorker w = worker("a", 4, Duration.ofSeconds(30), job -> {
            if (job.payload().equals("\"slow\"")) {
                slowStarted.countDown();
                release.await();
            }
            return null;
        });
        queue.add(
                IntStream.range(0, 1000).mapToObj(i -> JobSpec.of("noop", "{}")).toList());
        w.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.counts().completedTotal() == 1000);
        // one batch: the runner that takes the slow job first would be the only one awake for such quick handlers
        List<JobSpec> specs = new java.util.ArrayList<>();
        specs.add(JobSpec.of("noop", "\"slow\""));
        IntStream.range(0, 50).forEach(i -> specs.add(JobSpec.of("noop", "{}")));
        queue.add(specs);
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> queue.counts().completedTotal() == 1050);
        assertThat(w.activeCount()).isEqualTo(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(2)).until(() -> queue.counts().completedTotal() == 1051);
        w.stop(Duration.ofSeconds(1));
    }

    /**
     * A Redis of its own (a {@code redis-server} process on a free port) that goes away and comes back: the worker
     * reports how long it has been unable to fetch (what the {@code queue-consumers} health check reads) and
     * consumes again once Redis answers, without a restart.
     */
    @Test
    void aWorkerSaysHowLongItCouldNotFetchAndConsumesAgainWhenRedisIsBack() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = startRedis(port);
        try (JedisPooled own = new JedisPooled(
                new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().timeoutMillis(2000).build())) {
            RedisJobQueue q = new RedisJobQueue(own, new RedisKeys(prefix).queue("gone"));
            AtomicInteger ran = new AtomicInteger();
            QueueWorker w = new QueueWorker(
                    q,
                    own,
                    new WorkerOptions("a", 2, Duration.ofSeconds(5), Duration.ofMinutes(1)),
                    job -> {
                        ran.incrementAndGet();
                        return null;
                    },
                    executor,
                    scheduler,
                    new QueueWorker.Listener() {});
            w.start();
            q.add(List.of(JobSpec.of("noop", "{}")));
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1);

            server.destroy(); // SIGTERM: redis-server exits, every connection drops
            assertThat(server.waitFor(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(6)).until(() -> w.lastFetchAgeMillis() > 1500);
            assertThat(w.lastError()).as("why it cannot fetch").isNotBlank();
            assertThat(w.isFetching()).isTrue();

            server = startRedis(port); // an empty Redis at the same address, as after a restart without persistence
            q.add(List.of(JobSpec.of("noop", "{}")));
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 2);
            await().atMost(Duration.ofSeconds(2)).until(() -> w.lastFetchAgeMillis() < 1000);
            assertThat(w.lastError()).isNull();
            w.stop(Duration.ofSeconds(1));
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Process startRedis(int port) throws Exception {
        Process p = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return p;
                }
            } catch (JedisConnectionException e) {
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new AssertionError("redis-server did not start on port " + port);
    }

    @Test
    void aLockLostWhileTheHandlerRanIsNotCompletedByTheBatchThatCompletesTheOthers() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        List<FetchedJob> stolen = new java.util.concurrent.CopyOnWriteArrayList<>();
        QueueWorker w = worker("a", 20, Duration.ofSeconds(30), job -> {
            if (job.payload().equals("\"steal\"")) {
                // another consumer owns this job now, as if its lock had run out and it had been fetched again
                redis.hset(queue.keys().job(job.id()), "lk", "thief");
                FetchedJob f = job.fetched();
                stolen.add(new FetchedJob(
                        f.queue(),
                        f.id(),
                        f.type(),
                        f.payload(),
                        f.attemptsMade(),
                        f.maxAttempts(),
                        f.backoff(),
                        f.timeoutMillis(),
                        f.createdMillis(),
                        f.tenant(),
                        f.priority(),
                        "thief"));
            } else {
                Thread.sleep(1);
            }
            handled.incrementAndGet();
            return null;
        });
        List<JobSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            specs.add(JobSpec.of("noop", i == 250 ? "\"steal\"" : "{}"));
        }
        queue.add(specs);
        w.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> handled.get() == 500 && queue.counts().completedTotal() == 499);
        Thread.sleep(100);
        QueueCounts c = queue.counts();
        assertThat(c.completedTotal()).as("every job but the stolen one").isEqualTo(499);
        assertThat(c.active()).as("the stolen job stays with its new owner").isEqualTo(1);
        assertThat(stolen).hasSize(1);
        assertThat(queue.job(stolen.get(0).id()).state()).isEqualTo(JobState.ACTIVE);
        assertThat(queue.complete(stolen.get(0), null, 0, null, Duration.ofSeconds(30), "thief")
                        .completed())
                .isTrue();
        w.stop(Duration.ofSeconds(1));
    }
}
