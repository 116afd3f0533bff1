package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StalledJobSweeperTest {

    private final List<String> told = new ArrayList<>();
    private final List<Integer> asked = new ArrayList<>();

    private StalledJobSweeper sweeper(long back, long failed) {
        return new StalledJobSweeper(
                "q",
                max -> {
                    asked.add(max);
                    return new long[] {back, failed};
                },
                (b, f) -> told.add(b + " back, " + f + " failed"));
    }

    @Test
    void reportsWhatASweepRecoveredAndBoundsItsWork() {
        sweeper(3, 1).run();
        assertThat(told).containsExactly("3 back, 1 failed");
        assertThat(asked).containsExactly(StalledJobSweeper.MAX_PER_SWEEP);
    }

    @Test
    void aSweepThatFoundNothingReportsNothing() {
        sweeper(0, 0).run();
        assertThat(told).isEmpty();
    }

    @Test
    void aFailedSweepDoesNotEndTheSchedule() {
        new StalledJobSweeper(
                        "q",
                        max -> {
                            throw new IllegalStateException("READONLY");
                        },
                        (b, f) -> told.add("called"))
                .run(); // a scheduled task that throws is never run again
        assertThat(told).isEmpty();
    }
}
