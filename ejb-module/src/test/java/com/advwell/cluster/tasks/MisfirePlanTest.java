package com.advwell.cluster.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MisfirePlanTest {

    private static final ScheduleSlots EVERY_SECOND =
            ScheduleSlots.of("*", "*", "*", "*", "*", "*", "*", ZoneOffset.UTC);
    private static final Instant LAST = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant GAINED = Instant.parse("2026-03-01T10:00:05.400Z");

    private static Instant sec(int s) {
        return LAST.plusSeconds(s);
    }

    @Test
    void catchUpRunsTheNewestMissedSlotAndSkipsTheOlderOnes() {
        MisfirePlan plan = MisfirePlan.of(EVERY_SECOND, LAST, GAINED, Set.of(), Misfire.CATCH_UP, 100);
        assertThat(plan.runLate()).contains(sec(5));
        assertThat(plan.skip()).containsExactly(sec(4), sec(3), sec(2), sec(1));
    }

    @Test
    void skipRecordsEveryMissedSlot() {
        MisfirePlan plan = MisfirePlan.of(EVERY_SECOND, LAST, GAINED, Set.of(), Misfire.SKIP, 100);
        assertThat(plan.runLate()).isEmpty();
        assertThat(plan.skip()).containsExactly(sec(5), sec(4), sec(3), sec(2), sec(1));
    }

    @Test
    void slotsAlreadyRecordedAreNotPartOfTheGap() {
        // the new leader's own timer ran 10:00:05 before the catch-up looked; 10:00:02 was run by the old leader
        MisfirePlan plan = MisfirePlan.of(EVERY_SECOND, LAST, GAINED, Set.of(sec(5), sec(2)), Misfire.CATCH_UP, 100);
        assertThat(plan.runLate()).contains(sec(4));
        assertThat(plan.skip()).containsExactly(sec(3), sec(1));
    }

    @Test
    void noGapNoPlanAndLongGapsAreCapped() {
        assertThat(MisfirePlan.of(EVERY_SECOND, sec(5), GAINED, Set.of(), Misfire.CATCH_UP, 100)
                        .isEmpty())
                .isTrue();
        MisfirePlan capped =
                MisfirePlan.of(EVERY_SECOND, LAST.minusSeconds(3600), GAINED, Set.of(), Misfire.CATCH_UP, 10);
        assertThat(capped.runLate()).contains(sec(5));
        assertThat(capped.skip()).hasSize(9);
    }
}
