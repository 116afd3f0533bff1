package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * What a worker does when the calls that record its completions fail the way they fail across a Sentinel failover
 * (against a real Redis): the connection drops either after the script ran on the old master (the reply is lost)
 * or before it reached any master. The jobs must complete once and not run again when their locks run out.
 */
class QueueWorkerFailoverIT {

    private static final Duration LOCK = Duration.ofSeconds(2);
    private static final Duration STALL_CHECK = Duration.ofMillis(200);
    private static final int JOBS = 20;

    /**
     * A real Redis whose first {@code calls} completion calls fail with a dropped connection, after running the
     * script ({@code ranFirst}: the old master did it, the reply never came back) or without it.
     */
    private static final class FailingCompletions extends JedisPooled {
        private static final String COMPLETE =
                RedisScript.load("completeJobs-1.lua").sha();
        private final AtomicInteger calls;
        private final boolean ranFirst;

        FailingCompletions(int calls, boolean ranFirst) {
            super(TestRedis.address());
            this.calls = new AtomicInteger(calls);
            this.ranFirst = ranFirst;
        }

        @Override
        public Object evalsha(String sha1, List<String> keys, List<String> args) {
            if (sha1.equals(COMPLETE) && calls.getAndDecrement() > 0) {
                if (ranFirst) {
                    super.evalsha(sha1, keys, args);
                }
                throw new JedisConnectionException("Unexpected end of stream (injected failover)");
            }
            return super.evalsha(sha1, keys, args);
        }
    }

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-wf");

    private JedisPooled redis;
    private String prefix;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        prefix = testRedis.prefix();
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Runs {@link #JOBS} jobs through a worker on {@code client}; the queue's counts once locks would have run out. */
    private QueueCounts runAll(JedisPooled client, Duration completionRetry) throws Exception {
        RedisJobQueue queue = new RedisJobQueue(client, new RedisKeys(prefix).queue("work"));
        QueueWorker w = new QueueWorker(
                queue,
                redis,
                new WorkerOptions(
                        "a", 4, LOCK, Duration.ofMinutes(1), WorkerOptions.DEFAULT_PREFETCH_MAX, completionRetry),
                job -> {
                    runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
                    return null;
                },
                executor,
                scheduler,
                new QueueWorker.Listener() {});
        // as QueueConsumers runs it beside the worker: a job left to stall comes back through it
        new StalledJobSweeper(queue, (back, failed) -> {}).start(scheduler, STALL_CHECK);
        queue.add(
                IntStream.range(0, JOBS).mapToObj(i -> JobSpec.of("noop", "{}")).toList());
        w.start();
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (queue.counts().completedTotal() < JOBS && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        // a job left to stall would run again after its lock and one stall check
        Thread.sleep(LOCK.plus(STALL_CHECK).plusMillis(800).toMillis());
        w.stop(Duration.ofSeconds(1));
        return queue.counts();
    }

    private long ranTwice() {
        return runs.values().stream().filter(n -> n.get() > 1).count();
    }

    @Test
    void aCompletionWhoseReplyWasLostIsRecordedOnceByItsRetry() throws Exception {
        try (FailingCompletions client = new FailingCompletions(1, true)) {
            QueueCounts c = runAll(client, WorkerOptions.DEFAULT_COMPLETION_RETRY);
            assertThat(runs).hasSize(JOBS);
            assertThat(ranTwice()).as("jobs run twice").isZero();
            assertThat(c.completedTotal()).as("each completion counted once").isEqualTo(JOBS);
            // the lost call's fetch locked jobs nobody received: they stall once and run then, for the first time
            assertThat(c.active()).isZero();
        }
    }

    @Test
    void completionsThatReachedNoMasterAreRecordedOnceRedisAnswersAgain() throws Exception {
        // five failed calls: about 1.5 s of the loop's backoff, a short failover
        try (FailingCompletions client = new FailingCompletions(5, false)) {
            QueueCounts c = runAll(client, WorkerOptions.DEFAULT_COMPLETION_RETRY);
            assertThat(runs).hasSize(JOBS);
            assertThat(ranTwice()).as("jobs run twice").isZero();
            assertThat(c.completedTotal()).isEqualTo(JOBS);
            assertThat(c.stalledTotal()).isZero();
        }
    }

    @Test
    void withoutTheRetryTheSameFailureRunsJobsAgainAfterTheirLock() throws Exception {
        // the control: what the tests above guard against
        try (FailingCompletions client = new FailingCompletions(1, false)) {
            QueueCounts c = runAll(client, Duration.ZERO);
            assertThat(ranTwice()).as("jobs run twice").isPositive();
            assertThat(c.stalledTotal()).isPositive();
            assertThat(c.completedTotal()).isEqualTo(JOBS);
        }
    }
}
