package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class HeldJobsTest {

    static Job job(String id) {
        return new Job(new FetchedJob("q", id, "noop", "{}", 1, 3, Backoff.DEFAULT, 0, 0, null, 0, "tok"), null, 0);
    }

    @Test
    void aJobTakesRoomFromItsFetchUntilItsOutcomeIsRecorded() {
        HeldJobs held = new HeldJobs();
        HeldJob a = held.add(job("a"), 0);
        held.add(job("b"), 0);
        assertThat(held.count()).isEqualTo(2);

        assertThat(held.handlerReturned(a)).isTrue();
        assertThat(held.unfinished()).extracting(HeldJob::id).containsExactly("b");
        assertThat(held.count()).as("finished, its completion not yet recorded").isEqualTo(2);
        held.letGo();
        assertThat(held.count()).isEqualTo(1);
    }

    @Test
    void aTimeoutOrHandBackWinsOverTheHandlerOnceAndMarksTheLockLost() {
        HeldJobs held = new HeldJobs();
        HeldJob h = held.add(job("a"), 0);
        assertThat(held.takeOver(h)).isTrue();
        assertThat(h.job.lockLost()).as("the handler is told to stop").isTrue();
        assertThat(held.unfinished(h.id())).isNull();
        assertThat(held.takeOver(h)).as("a hand-back after the timeout").isFalse();
        assertThat(held.handlerReturned(h)).as("the late handler's result").isFalse();
    }

    @Test
    void theHandlersOutcomeWinsOverALateTimeout() {
        HeldJobs held = new HeldJobs();
        HeldJob h = held.add(job("a"), 0);
        assertThat(held.handlerReturned(h)).isTrue();
        assertThat(held.takeOver(h)).isFalse();
        assertThat(h.job.lockLost()).isFalse();
    }

    @Test
    void underARaceExactlyOneSettles() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 2000; round++) {
                HeldJobs held = new HeldJobs();
                HeldJob h = held.add(job("j" + round), 0);
                AtomicInteger winners = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                Future<?> handler = pool.submit(() -> settleAfter(go, () -> held.handlerReturned(h), winners));
                Future<?> watchdog = pool.submit(() -> settleAfter(go, () -> held.takeOver(h), winners));
                Future<?> handBack = pool.submit(() -> settleAfter(go, () -> held.takeOver(h), winners));
                go.countDown();
                handler.get(5, TimeUnit.SECONDS);
                watchdog.get(5, TimeUnit.SECONDS);
                handBack.get(5, TimeUnit.SECONDS);
                assertThat(winners.get()).isEqualTo(1);
                assertThat(held.unfinished()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void settleAfter(CountDownLatch go, BooleanSupplier settle, AtomicInteger winners) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (settle.getAsBoolean()) {
            winners.incrementAndGet();
        }
    }
}
