package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.testsupport.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;

/** The queue scripts against a real Redis, one random key prefix per test. */
class RedisJobQueueIT {

    private static final Duration LOCK = Duration.ofSeconds(30);

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-q");

    private JedisPooled redis;
    private RedisJobQueue queue;
    private String prefix;

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        prefix = testRedis.prefix();
        queue = new RedisJobQueue(redis, new RedisKeys(prefix).queue("work"));
    }

    private static JobSpec job(String payload) {
        return JobSpec.of("noop", payload);
    }

    private FetchedJob fetchOne(String token) {
        FetchResult r = queue.fetch(token, 1, LOCK, "w1");
        assertThat(r.jobs()).hasSize(1);
        return r.jobs().get(0);
    }

    @Test
    void addIsIdempotentForClientIdsAndGeneratesNumericIdsOtherwise() {
        List<RedisJobQueue.Added> a = queue.add(List.of(job("{}").withId("order-1"), job("{}"), job("{}")));
        assertThat(a).extracting(RedisJobQueue.Added::id).containsExactly("order-1", "1", "2");
        assertThat(queue.add(List.of(job("{\"other\":1}").withId("order-1")))
                        .get(0)
                        .created())
                .isFalse();
        assertThat(queue.job("order-1").payload()).isEqualTo("{}");
        assertThat(queue.counts().waiting()).isEqualTo(3);
    }

    @Test
    void higherPriorityIsServedFirstAndFifoWithinAPriority() {
        queue.add(List.of(
                job("1"), job("2").withPriority(9), job("3"), job("4").withPriority(0), job("5").withPriority(9)));
        FetchResult r = queue.fetch("t", 10, LOCK, "w1");
        assertThat(r.jobs()).extracting(FetchedJob::payload).containsExactly("2", "5", "1", "3", "4");
        assertThat(queue.counts().active()).isEqualTo(5);
    }

    @Test
    void onlyTheLockHolderCompletesAndCompletionFetchesTheNextJob() {
        queue.add(List.of(job("a"), job("b")));
        FetchedJob a = fetchOne("tok-1");
        FetchedJob forged =
                new FetchedJob("work", a.id(), a.type(), a.payload(), 1, 1, Backoff.DEFAULT, 0, 0, null, 4, "tok-x");
        assertThat(queue.complete(forged, null, 0, null, LOCK, "w2").lost()).isEqualTo(QueueError.LOCK_LOST);
        RedisJobQueue.Completion c = queue.complete(a, "{\"ok\":true}", 1, "tok-2", LOCK, "w1");
        assertThat(c.completed()).isTrue();
        assertThat(c.next().jobs()).extracting(FetchedJob::payload).containsExactly("b");
        JobView done = queue.job(a.id());
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("{\"ok\":true}");
        assertThat(done.finishedMillis()).isGreaterThanOrEqualTo(done.startedMillis());
        assertThat(queue.complete(forged, null, 0, null, LOCK, "w2").lost()).isEqualTo(QueueError.LOCK_LOST);
    }

    @Test
    void completingAgainWithTheSameTokenSucceedsOnceCountedAndChangesNothing() {
        queue.add(List.of(job("a")));
        FetchedJob a = fetchOne("tok-1");
        assertThat(queue.complete(a, "{\"first\":true}", 0, null, LOCK, "w1").completed())
                .isTrue();
        // the retry of a call whose reply was lost in a failover
        assertThat(queue.complete(a, "{\"second\":true}", 0, null, LOCK, "w1").completed())
                .isTrue();
        assertThat(queue.job(a.id()).result()).isEqualTo("{\"first\":true}");
        assertThat(queue.counts().completedTotal()).isEqualTo(1);
        assertThat(queue.counts().completed()).isEqualTo(1);
    }

    @Test
    void aRetriedCompletionIsRefusedOnceTheJobRanAgainUnderAnotherLock() throws Exception {
        queue.add(List.of(job("a")));
        FetchedJob first =
                queue.fetch("tok-1", 1, Duration.ofMillis(50), "w1").jobs().get(0);
        Thread.sleep(80);
        assertThat(queue.recoverStalled(100)).containsExactly(1, 0);
        FetchedJob second = fetchOne("tok-2");
        assertThat(queue.complete(second, null, 0, null, LOCK, "w2").completed())
                .isTrue();
        assertThat(queue.complete(first, null, 0, null, LOCK, "w1").lost()).isEqualTo(QueueError.LOCK_LOST);
        assertThat(queue.counts().completedTotal()).isEqualTo(1);
    }

    @Test
    void failedAttemptsAreRetriedAfterTheDelayAndFailForGoodWithTheLastError() throws Exception {
        queue.add(List.of(job("x").withAttempts(2, new Backoff(Backoff.Kind.FIXED, 200, false))));
        FetchedJob first = fetchOne("t1");
        assertThat(queue.fail(first, "boom 1", "stack 1", Duration.ofMillis(200)))
                .isFalse();
        assertThat(queue.job(first.id()).state()).isEqualTo(JobState.DELAYED);
        assertThat(queue.fetch("t2", 1, LOCK, "w1").jobs()).isEmpty();
        Thread.sleep(250);
        FetchedJob second = fetchOne("t3");
        assertThat(second.attemptsMade()).isEqualTo(2);
        assertThat(queue.fail(second, "boom 2", "stack 2", null)).isTrue();
        JobView failed = queue.job(first.id());
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).isEqualTo("boom 2");
        assertThat(failed.stackTrace()).isEqualTo("stack 2");
        assertThat(queue.counts().failedTotal()).isEqualTo(1);
        assertThat(queue.counts().retriedTotal()).isEqualTo(1);
    }

    @Test
    void jobsWhoseLockRanOutGoBackToWaitingAndFailAfterTooManyStalls() throws Exception {
        queue.configure(QueueLimits.DEFAULT.withMaxStalls(1));
        queue.add(List.of(job("s")));
        FetchedJob a = queue.fetch("t1", 1, Duration.ofMillis(50), "w1").jobs().get(0);
        assertThat(queue.recoverStalled(100)).containsExactly(0, 0);
        Thread.sleep(80);
        assertThat(queue.recoverStalled(100)).containsExactly(1, 0);
        assertThat(queue.complete(a, null, 0, null, LOCK, "w1").lost()).isEqualTo(QueueError.LOCK_LOST);
        FetchedJob again =
                queue.fetch("t2", 1, Duration.ofMillis(50), "w2").jobs().get(0);
        assertThat(again.attemptsMade()).as("a stall is not an attempt").isEqualTo(1);
        Thread.sleep(80);
        assertThat(queue.recoverStalled(100)).containsExactly(0, 1);
        JobView v = queue.job(a.id());
        assertThat(v.state()).isEqualTo(JobState.FAILED);
        assertThat(v.error()).contains("stalled 2 times");
        assertThat(queue.counts().stalledTotal()).isEqualTo(2);
    }

    @Test
    void renewedLocksDoNotStallAndLostLocksAreReported() throws Exception {
        queue.add(List.of(job("r")));
        FetchedJob a = queue.fetch("t1", 1, Duration.ofMillis(100), "w1").jobs().get(0);
        for (int i = 0; i < 4; i++) {
            Thread.sleep(50);
            assertThat(queue.extendLocks(List.of(a), Duration.ofMillis(100))).isEmpty();
        }
        assertThat(queue.recoverStalled(10)).containsExactly(0, 0);
        FetchedJob stranger = new FetchedJob("work", a.id(), "noop", "r", 1, 1, Backoff.DEFAULT, 0, 0, null, 4, "zz");
        assertThat(queue.extendLocks(List.of(stranger), LOCK)).containsExactly(a.id());
    }

    @Test
    void activeLimitAndRateLimitHoldAcrossConsumers() throws Exception {
        queue.configure(QueueLimits.DEFAULT.withMaxActive(2));
        queue.add(IntStream.range(0, 10).mapToObj(i -> job("" + i)).toList());
        assertThat(queue.fetch("a", 5, LOCK, "w1").jobs()).hasSize(2);
        FetchResult blocked = queue.fetch("b", 5, LOCK, "w2");
        assertThat(blocked.status()).isEqualTo(FetchResult.Status.ACTIVE_LIMIT);
        assertThat(blocked.jobs()).isEmpty();

        queue.configure(QueueLimits.DEFAULT.withRate(3, Duration.ofMillis(500)));
        assertThat(queue.fetch("c", 2, LOCK, "w1").jobs()).hasSize(2);
        assertThat(queue.fetch("d", 5, LOCK, "w2").jobs()).hasSize(1);
        FetchResult limited = queue.fetch("e", 5, LOCK, "w3");
        assertThat(limited.status()).isEqualTo(FetchResult.Status.RATE_LIMITED);
        assertThat(limited.hintMillis()).isBetween(1L, 500L);
        Thread.sleep(limited.hintMillis() + 20);
        assertThat(queue.fetch("f", 5, LOCK, "w3").jobs()).hasSize(3);
    }

    @Test
    void prefetchIsGrantedOnlyOnAQueueWithoutActiveOrRateLimit() {
        queue.add(IntStream.range(0, 30).mapToObj(i -> job("" + i)).toList());
        assertThat(queue.fetch("a", 2, 3, LOCK, "w1").jobs())
                .as("unlimited: slots plus prefetch")
                .hasSize(5);
        assertThat(queue.fetch("b", 0, 4, LOCK, "w1").jobs())
                .as("prefetch alone")
                .hasSize(4);

        queue.configure(QueueLimits.DEFAULT.withMaxActive(20));
        assertThat(queue.fetch("c", 2, 3, LOCK, "w1").jobs())
                .as("active limit: no prefetch")
                .hasSize(2);
        FetchResult onlyPrefetch = queue.fetch("d", 0, 3, LOCK, "w1");
        assertThat(onlyPrefetch.jobs()).isEmpty();
        assertThat(onlyPrefetch.status())
                .as("nothing to take on a limited queue: wait like at the limit")
                .isEqualTo(FetchResult.Status.ACTIVE_LIMIT);

        queue.configure(QueueLimits.DEFAULT.withRate(100, Duration.ofSeconds(10)));
        assertThat(queue.fetch("e", 1, 5, LOCK, "w1").jobs())
                .as("rate limit: no prefetch")
                .hasSize(1);
        List<RedisJobQueue.Finished> done = queue.fetch("f", 1, LOCK, "w1").jobs().stream()
                .map(j -> new RedisJobQueue.Finished(j, null))
                .toList();
        RedisJobQueue.Completions c = queue.completeAll(done, 1, 5, "g", LOCK, "w1");
        assertThat(c.lost()).containsOnlyNulls();
        assertThat(c.next().jobs())
                .as("the completing call's fetch follows the same rule")
                .hasSize(1);

        queue.configure(QueueLimits.DEFAULT);
        assertThat(queue.completeAll(List.of(), 1, 5, "h", LOCK, "w1").next().jobs())
                .hasSize(6);
    }

    @Test
    void pauseStopsFetchingForEveryoneUntilResumed() {
        queue.add(List.of(job("p")));
        queue.pause();
        assertThat(queue.fetch("t", 1, LOCK, "w1").status()).isEqualTo(FetchResult.Status.PAUSED);
        assertThat(queue.counts().paused()).isTrue();
        queue.resume();
        assertThat(queue.fetch("t", 1, LOCK, "w1").jobs()).hasSize(1);
    }

    @Test
    void retentionKeepsOnlyTheNewestFinishedJobs() {
        queue.configure(QueueLimits.DEFAULT.withRetention(2, Duration.ofHours(1), 0, Duration.ofHours(1)));
        queue.add(IntStream.range(0, 5).mapToObj(i -> job("" + i)).toList());
        for (FetchedJob j : queue.fetch("t", 5, LOCK, "w1").jobs()) {
            queue.complete(j, null, 0, null, LOCK, "w1");
        }
        assertThat(queue.counts().completed()).isEqualTo(2);
        assertThat(queue.job("1")).isNull();
        assertThat(queue.job("5").state()).isEqualTo(JobState.COMPLETED);
        assertThat(redis.pttl(queue.keys().job("5"))).isBetween(1L, 3_600_000L);
        queue.add(List.of(job("f").withAttempts(1, Backoff.DEFAULT)));
        queue.fail(fetchOne("t2"), "no", "", null);
        assertThat(queue.job("6")).as("keepFailed 0 keeps no failed job").isNull();
    }

    @Test
    void cancelPromoteRetryAndClean() throws Exception {
        queue.add(List.of(
                job("w").withId("w"),
                job("d").withId("d").withDelay(Duration.ofMinutes(5)),
                job("a").withId("a").withPriority(9)));
        FetchedJob active = fetchOne("t");
        assertThat(active.id()).isEqualTo("a");
        assertThatThrownBy(() -> queue.cancel("a"))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.WRONG_STATE));
        queue.cancel("w");
        assertThat(queue.job("w")).isNull();
        assertThatThrownBy(() -> queue.cancel("nope"))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.JOB_NOT_FOUND));
        queue.promote("d");
        assertThat(queue.job("d").state()).isEqualTo(JobState.WAITING);
        queue.fail(active, "bad", "", null);
        queue.retry("a");
        JobView retried = queue.job("a");
        assertThat(retried.state()).isEqualTo(JobState.WAITING);
        assertThat(retried.attemptsMade()).isZero();
        FetchResult both = queue.fetch("t2", 5, LOCK, "w1");
        for (FetchedJob j : both.jobs()) {
            queue.fail(j, "bad again", "", null);
        }
        assertThat(queue.retryFailed(100)).isEqualTo(2);
        for (FetchedJob j : queue.fetch("t3", 5, LOCK, "w1").jobs()) {
            queue.complete(j, null, 0, null, LOCK, "w1");
        }
        assertThat(queue.clean(JobState.COMPLETED, Duration.ofHours(1), 100)).isZero();
        Thread.sleep(20);
        assertThat(queue.clean(JobState.COMPLETED, Duration.ofMillis(10), 100)).isEqualTo(2);
        assertThat(queue.counts().completed()).isZero();
    }

    @Test
    void listingPagesThroughAStateAndFiltersByTenant() {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            specs.add(job("" + i).withTenant(i % 5 == 0 ? "t-a" : "t-b").withPriority(i < 5 ? 9 : 4));
        }
        queue.add(specs);
        RedisJobQueue.Page first = queue.list(JobState.WAITING, 0, 10, null);
        assertThat(first.jobs())
                .extracting(JobView::payload)
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        RedisJobQueue.Page rest = queue.list(JobState.WAITING, first.nextCursor(), 100, null);
        assertThat(rest.jobs()).hasSize(15);
        assertThat(rest.nextCursor()).isZero();
        RedisJobQueue.Page tenant = queue.list(JobState.WAITING, 0, 100, "t-a");
        assertThat(tenant.jobs()).extracting(JobView::payload).containsExactly("0", "5", "10", "15", "20");
    }

    @Test
    void eachTenantAndTheSystemHaveTheirOwnIds() {
        List<RedisJobQueue.Added> added = queue.add(List.of(
                job("a").withId("dup-1").withTenant("tenant-a"),
                job("b").withId("dup-1").withTenant("tenant-b"),
                job("s").withId("dup-1")));
        assertThat(added)
                .as("one id, three namespaces, one script call")
                .containsExactly(
                        new RedisJobQueue.Added("dup-1", true),
                        new RedisJobQueue.Added("dup-1", true),
                        new RedisJobQueue.Added("dup-1", true));
        // idempotent within a tenant: the same id again is the same job, whatever the new payload
        assertThat(queue.add(List.of(job("a2").withId("dup-1").withTenant("tenant-a"))))
                .containsExactly(new RedisJobQueue.Added("dup-1", false));
        assertThat(queue.add(List.of(job("s2").withId("dup-1"))))
                .containsExactly(new RedisJobQueue.Added("dup-1", false));

        JobView a = queue.job("tenant-a", "dup-1");
        assertThat(a.id()).isEqualTo("dup-1");
        assertThat(a.payload()).isEqualTo("a");
        assertThat(a.tenant()).isEqualTo("tenant-a");
        assertThat(queue.job("tenant-b", "dup-1").payload()).isEqualTo("b");
        assertThat(queue.job("dup-1").payload()).as("the system namespace").isEqualTo("s");
        assertThat(queue.job("dup-1").tenant()).isNull();
        assertThat(queue.job("tenant-c", "dup-1")).isNull();

        RedisJobQueue.Page all = queue.list(JobState.WAITING, 0, 10, null);
        assertThat(all.jobs()).extracting(JobView::id).containsOnly("dup-1").hasSize(3);
        assertThat(all.jobs()).extracting(JobView::tenant).containsExactly("tenant-a", "tenant-b", null);
        assertThat(queue.list(JobState.WAITING, 0, 10, "tenant-b").jobs())
                .extracting(JobView::payload)
                .containsExactly("b");

        // each tenant cancels its own; the others stay
        queue.cancel("tenant-b", "dup-1");
        assertThat(queue.job("tenant-b", "dup-1")).isNull();
        assertThat(queue.job("tenant-a", "dup-1").payload()).isEqualTo("a");
        assertThat(queue.job("dup-1").payload()).isEqualTo("s");
        assertThatThrownBy(() -> queue.cancel("tenant-b", "dup-1"))
                .isInstanceOfSatisfying(
                        QueueException.class, e -> assertThat(e.error()).isEqualTo(QueueError.JOB_NOT_FOUND))
                .hasMessageContaining("job dup-1:")
                .hasMessageNotContaining("tenant-b");
        assertThat(queue.add(List.of(job("b2").withId("dup-1").withTenant("tenant-b"))))
                .as("a cancelled id is free again in its own namespace only")
                .containsExactly(new RedisJobQueue.Added("dup-1", true));

        // the handler and the event stream see the producer's id and tenant, never the ref
        FetchedJob first = fetchOne("t1");
        assertThat(first.id()).isEqualTo(JobRef.of("tenant-a", "dup-1"));
        Job running = new Job(first, queue, 0);
        assertThat(running.id()).isEqualTo("dup-1");
        assertThat(running.tenant()).isEqualTo("tenant-a");
        assertThat(queue.complete(first, null, 0, null, LOCK, "w1").completed()).isTrue();
        Map<String, String> event = redis.xrange(queue.keys().events(), (StreamEntryID) null, null).stream()
                .reduce((x, y) -> y)
                .orElseThrow()
                .getFields();
        assertThat(event)
                .containsEntry("e", "completed")
                .containsEntry("j", "dup-1")
                .containsEntry("tn", "tenant-a");
        assertThat(queue.job("tenant-a", "dup-1").state()).isEqualTo(JobState.COMPLETED);
        assertThat(queue.job("dup-1").state()).isEqualTo(JobState.WAITING);
    }

    @Test
    void scheduleSlotIdsStayIdempotentPerTenant() {
        JobSpec slot = job("p").withId("schedule-s1-1700000000000");
        assertThat(queue.add(List.of(slot.withTenant("tenant-a"))))
                .extracting(RedisJobQueue.Added::created)
                .containsExactly(true);
        assertThat(queue.add(List.of(slot.withTenant("tenant-a"))))
                .extracting(RedisJobQueue.Added::created)
                .containsExactly(false);
        assertThat(queue.add(List.of(slot.withTenant("tenant-b"))))
                .extracting(RedisJobQueue.Added::created)
                .containsExactly(true);
        assertThat(queue.counts().waiting()).isEqualTo(2);
    }

    @Test
    void aTenantIdThatCouldCollideWithAnotherNamespaceIsRefused() {
        assertThatThrownBy(() -> job("x").withTenant("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(JobRef.idOf(JobRef.of("a", "x"))).isEqualTo("x");
        assertThat(JobRef.idOf(JobRef.of(null, "x"))).isEqualTo("x");
    }

    @Test
    void handedBackJobsAreFirstInLineWithTheirAttemptGivenBack() {
        queue.add(List.of(job("1"), job("2")));
        FetchedJob a = fetchOne("t1");
        assertThat(queue.release(List.of(a))).isEqualTo(1);
        FetchedJob again = fetchOne("t2");
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(again.attemptsMade()).isEqualTo(1);
    }

    @Test
    void anAddNoReplicaConfirmedIsNotAcknowledged() {
        // this Redis has no replica: WAIT 1 cannot be satisfied
        assertThatThrownBy(() -> queue.add(List.of(job("d").withId("durable-1")), 1, Duration.ofMillis(50)))
                .isInstanceOf(NotDurableException.class)
                .hasMessageContaining("0 of 1");
        assertThat(queue.add(List.of(job("d").withId("durable-2")), 0, Duration.ofMillis(50)))
                .hasSize(1);
    }

    @Test
    void delayedJobsAreFetchedWhenDueAndTheHintSaysWhen() throws Exception {
        queue.add(List.of(job("later").withDelay(Duration.ofMillis(300))));
        FetchResult none = queue.fetch("t", 1, LOCK, "w1");
        assertThat(none.jobs()).isEmpty();
        assertThat(none.hintMillis()).isBetween(1L, 300L);
        Thread.sleep(none.hintMillis() + 10);
        assertThat(queue.fetch("t", 1, LOCK, "w1").jobs()).hasSize(1);
    }

    @Test
    void completeAllCompletesEveryJobWhoseLockIsHeldAndLeavesALostOneAlone() {
        queue.add(List.of(job("a"), job("b"), job("c"), job("d"), job("e")));
        List<FetchedJob> mine = queue.fetch("t1", 3, LOCK, "w1").jobs();
        assertThat(mine).extracting(FetchedJob::payload).containsExactly("a", "b", "c");
        // b's lock passes to another consumer (handed back and fetched again) while the batch is being collected
        queue.release(List.of(mine.get(1)));
        FetchedJob stolen = fetchOne("t2");
        assertThat(stolen.id()).isEqualTo(mine.get(1).id());
        FetchedJob gone =
                new FetchedJob("work", "no-such-job", "noop", "{}", 1, 1, Backoff.DEFAULT, 0, 0, null, 4, "t1");
        List<RedisJobQueue.Finished> batch = List.of(
                new RedisJobQueue.Finished(mine.get(0), "{\"r\":\"a\"}"),
                new RedisJobQueue.Finished(mine.get(1), "{\"r\":\"b\"}"),
                new RedisJobQueue.Finished(gone, null),
                new RedisJobQueue.Finished(mine.get(2), null));
        RedisJobQueue.Completions c = queue.completeAll(batch, 3, "t3", LOCK, "w1");
        assertThat(c.lost()).containsExactly(null, QueueError.LOCK_LOST, QueueError.JOB_NOT_FOUND, null);
        assertThat(c.next().jobs()).extracting(FetchedJob::payload).containsExactly("d", "e");
        assertThat(c.next().jobs()).extracting(FetchedJob::token).containsOnly("t3");
        assertThat(queue.job(mine.get(0).id()).state()).isEqualTo(JobState.COMPLETED);
        assertThat(queue.job(mine.get(0).id()).result()).isEqualTo("{\"r\":\"a\"}");
        assertThat(queue.job(mine.get(2).id()).state()).isEqualTo(JobState.COMPLETED);
        JobView b = queue.job(stolen.id());
        assertThat(b.state()).as("the lost job is left to its new owner").isEqualTo(JobState.ACTIVE);
        assertThat(b.result()).isNull();
        assertThat(queue.counts().completedTotal()).isEqualTo(2);
        assertThat(queue.counts().active()).isEqualTo(3);
        assertThat(redis.xlen(queue.keys().events()))
                .as("one completed event per completed job")
                .isEqualTo(2);
        assertThat(queue.complete(stolen, null, 0, null, LOCK, "w2").completed())
                .isTrue();
    }

    @Test
    void completeAllAppliesRetentionToTheWholeBatch() {
        queue.configure(QueueLimits.DEFAULT.withRetention(2, Duration.ofHours(1), 10, Duration.ofHours(1)));
        queue.add(IntStream.range(0, 5).mapToObj(i -> job("" + i)).toList());
        List<RedisJobQueue.Finished> batch = queue.fetch("t", 5, LOCK, "w1").jobs().stream()
                .map(j -> new RedisJobQueue.Finished(j, null))
                .toList();
        assertThat(queue.completeAll(batch, 0, null, LOCK, "w1").lost()).containsOnlyNulls();
        QueueCounts counts = queue.counts();
        assertThat(counts.completed()).isEqualTo(2);
        assertThat(counts.completedTotal()).isEqualTo(5);
        assertThat(counts.active()).isZero();
        long kept = IntStream.rangeClosed(1, 5)
                .filter(i -> redis.exists(queue.keys().job("" + i)))
                .count();
        assertThat(kept)
                .as("the jobs dropped from the completed set are deleted")
                .isEqualTo(2);
    }

    @Test
    void aFinishedJobsLogExpiresWithIt() {
        queue.configure(QueueLimits.DEFAULT.withRetention(10, Duration.ofHours(1), 10, Duration.ofHours(1)));
        queue.add(List.of(job("1"), job("2")));
        FetchedJob logged = fetchOne("t1");
        queue.log(logged, "line 1");
        queue.complete(logged, null, 0, null, LOCK, "w1");
        assertThat(redis.pttl(queue.keys().logs(logged.id()))).isBetween(1L, 3_600_000L);
        assertThat(queue.job(logged.id()).logs()).containsExactly("line 1");
        FetchedJob quiet = fetchOne("t2");
        queue.complete(quiet, null, 0, null, LOCK, "w1");
        assertThat(redis.exists(queue.keys().logs(quiet.id()))).isFalse();
    }

    @Test
    void priorityListsAreTakenInOrderAcrossOneFetch() {
        queue.add(List.of(
                job("low").withPriority(1),
                job("high").withPriority(8),
                job("mid1").withPriority(5),
                job("mid2").withPriority(5)));
        FetchResult r = queue.fetch("t", 3, LOCK, "w1");
        assertThat(r.jobs()).extracting(FetchedJob::payload).containsExactly("high", "mid1", "mid2");
        assertThat(queue.fetch("t", 3, LOCK, "w1").jobs())
                .extracting(FetchedJob::payload)
                .containsExactly("low");
    }

    @Test
    void aBatchOfAddsNumbersJobsInOrderAndStaysIdempotentWithinTheBatch() {
        queue.add(List.of(job("{}")));
        List<RedisJobQueue.Added> a =
                queue.add(List.of(job("x"), job("y").withId("k"), job("z").withId("k"), job("w")));
        assertThat(a).extracting(RedisJobQueue.Added::id).containsExactly("2", "k", "k", "3");
        assertThat(a).extracting(RedisJobQueue.Added::created).containsExactly(true, true, false, true);
        assertThat(queue.job("k").payload()).isEqualTo("y");
        assertThat(queue.fetch("t", 10, LOCK, "w1").jobs())
                .extracting(FetchedJob::payload)
                .containsExactly("{}", "x", "y", "w");
    }
}
