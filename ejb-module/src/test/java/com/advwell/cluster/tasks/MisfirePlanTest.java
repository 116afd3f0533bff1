package com.advwell.cluster.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
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

    @Test
    void aTermsFirstFiringMoreThanAPeriodLateFindsTheSlotsSinceLeadershipWasGained() {
        // leader at 10:00:05.400 (the catch-up answers for 10:00:05 and before); the timer due at 10:00:06 fired at
        // 10:00:07.2, so it runs 10:00:07 and 10:00:06 must get its row although the term has no earlier slot
        assertThat(MisfirePlan.missedInTerm(EVERY_SECOND, Optional.empty(), Optional.of(GAINED), sec(7), 100))
                .containsExactly(sec(6));
        // on time: nothing missed
        assertThat(MisfirePlan.missedInTerm(EVERY_SECOND, Optional.empty(), Optional.of(GAINED), sec(6), 100))
                .isEmpty();
    }

    @Test
    void laterInATermTheGapStartsAfterTheLaterOfThePreviousSlotAndTheGain() {
        assertThat(MisfirePlan.missedInTerm(EVERY_SECOND, Optional.of(sec(8)), Optional.of(GAINED), sec(11), 100))
                .containsExactly(sec(10), sec(9));
        // a catch-up row (10:00:03, before the gain) does not pull the catch-up's own slots into the term's gap
        assertThat(MisfirePlan.missedInTerm(EVERY_SECOND, Optional.of(sec(3)), Optional.of(GAINED), sec(7), 100))
                .containsExactly(sec(6));
        assertThat(MisfirePlan.missedInTerm(EVERY_SECOND, Optional.of(sec(8)), Optional.empty(), sec(10), 100))
                .containsExactly(sec(9));
        assertThat(MisfirePlan.missedInTerm(EVERY_SECOND, Optional.empty(), Optional.empty(), sec(10), 100))
                .isEmpty();
    }
}
