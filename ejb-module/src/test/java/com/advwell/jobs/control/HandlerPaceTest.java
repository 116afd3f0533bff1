package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandlerPaceTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    private static HandlerPace settledAt(HandlerPace pace, long nanos) {
        for (int i = 0; i < 200; i++) {
            pace.ran(nanos);
        }
        return pace;
    }

    @Test
    void anUnknownHandlerIsAssumedSlowNothingPrefetchedEveryRunnerWoken() {
        HandlerPace pace = new HandlerPace(5, 200);
        assertThat(pace.perJobNanos()).isEqualTo(HandlerPace.INITIAL_RUN_NANOS);
        assertThat(pace.prefetch()).isZero();
        assertThat(pace.runnersToDrain(1, pace.perJobNanos())).isEqualTo(5);
        assertThat(HandlerPace.quick(pace.perJobNanos())).isFalse();
    }

    @Test
    void eachRunMovesTheEstimateAnEighthOfTheWay() {
        HandlerPace pace = new HandlerPace(5, 200);
        pace.ran(HandlerPace.INITIAL_RUN_NANOS - 80 * MS);
        assertThat(pace.perJobNanos()).isEqualTo(HandlerPace.INITIAL_RUN_NANOS - 10 * MS);
    }

    @Test
    void theBufferHoldsWhatTheRunnersStartWithinTheWindowUpToTheMaximum() {
        // 10 ms window: 4 runners at 3 ms start 13 jobs in it
        assertThat(settledAt(new HandlerPace(4, 200), 3 * MS).prefetch()).isEqualTo(13);
        assertThat(settledAt(new HandlerPace(5, 20), MS).prefetch()).isEqualTo(20);
        assertThat(settledAt(new HandlerPace(5, 0), MS).prefetch())
                .as("prefetch off")
                .isZero();
        // a 100 ms handler at concurrency 5 prefetches nothing (docs/queues.md, "Prefetch")
        assertThat(settledAt(new HandlerPace(5, 200), 100 * MS).prefetch()).isZero();
    }

    @Test
    void aHandlerQuickerThanTheBookkeepingCountsAsTheBookkeeping() {
        HandlerPace pace = settledAt(new HandlerPace(1000, 1000), 0);
        assertThat(pace.perJobNanos()).isEqualTo(HandlerPace.MIN_JOB_NANOS);
        assertThat(pace.prefetch()).isEqualTo(1000);
    }

    @Test
    void enoughRunnersToDrainTheBufferWithinAMillisecondNoMoreThanTheConcurrency() {
        HandlerPace pace = new HandlerPace(8, 200);
        assertThat(pace.runnersToDrain(10, 100 * US)).isEqualTo(1);
        assertThat(pace.runnersToDrain(11, 100 * US)).as("rounded up").isEqualTo(2);
        assertThat(pace.runnersToDrain(1, 2 * US)).as("at least one").isEqualTo(1);
        assertThat(pace.runnersToDrain(100, MS)).isEqualTo(8);
    }

    @Test
    void onlyHandlersQuickerThanTheDrainTargetCountRunnersInAJobAsAvailable() {
        assertThat(HandlerPace.quick(HandlerPace.DRAIN_TARGET_NANOS - 1)).isTrue();
        assertThat(HandlerPace.quick(HandlerPace.DRAIN_TARGET_NANOS)).isFalse();
    }
}
