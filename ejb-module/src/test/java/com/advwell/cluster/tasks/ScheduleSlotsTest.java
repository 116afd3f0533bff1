package com.advwell.cluster.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSlotsTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    private static ScheduleSlots slots(String second, String minute, String hour) {
        return ScheduleSlots.of(second, minute, hour, "*", "*", "*", "*", UTC);
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void everySecondSlotIsTheWholeSecondOfTheFiring() {
        ScheduleSlots s = slots("*", "*", "*");
        assertThat(s.latestAtOrBefore(at("2026-03-01T10:00:05.731Z"))).contains(at("2026-03-01T10:00:05Z"));
        assertThat(s.latestAtOrBefore(at("2026-03-01T10:00:05Z"))).contains(at("2026-03-01T10:00:05Z"));
        assertThat(s.latestBefore(at("2026-03-01T10:00:05Z"))).contains(at("2026-03-01T10:00:04Z"));
    }

    @Test
    void defaultsOfScheduleMeanMidnight() {
        ScheduleSlots daily = slots("0", "0", "0");
        assertThat(daily.latestAtOrBefore(at("2026-03-01T10:00:00Z"))).contains(at("2026-03-01T00:00:00Z"));
        assertThat(daily.latestBefore(at("2026-03-01T00:00:00Z"))).contains(at("2026-02-28T00:00:00Z"));
    }

    @Test
    void incrementsListsAndRanges() {
        ScheduleSlots s = slots("0", "*/15", "8-9,17");
        assertThat(s.latestAtOrBefore(at("2026-03-01T09:59:59Z"))).contains(at("2026-03-01T09:45:00Z"));
        assertThat(s.latestAtOrBefore(at("2026-03-01T16:00:00Z"))).contains(at("2026-03-01T09:45:00Z"));
        assertThat(s.latestAtOrBefore(at("2026-03-01T07:00:00Z"))).contains(at("2026-02-28T17:45:00Z"));
        assertThat(slots("10/20", "*", "*").latestAtOrBefore(at("2026-03-01T10:00:45Z")))
                .contains(at("2026-03-01T10:00:30Z"));
    }

    @Test
    void slotsBetweenAreNewestFirstAndCapped() {
        ScheduleSlots s = slots("*", "*", "*");
        List<Instant> gap = s.between(at("2026-03-01T10:00:00Z"), at("2026-03-01T10:00:04.5Z"), 100);
        assertThat(gap)
                .containsExactly(
                        at("2026-03-01T10:00:04Z"),
                        at("2026-03-01T10:00:03Z"),
                        at("2026-03-01T10:00:02Z"),
                        at("2026-03-01T10:00:01Z"));
        assertThat(s.between(at("2026-03-01T10:00:00Z"), at("2026-03-01T11:00:00Z"), 3))
                .hasSize(3);
        assertThat(s.between(at("2026-03-01T10:00:00Z"), at("2026-03-01T10:00:00.9Z"), 3))
                .isEmpty();
    }

    @Test
    void daysOfWeekAndMonthFollowTheSpecification() {
        // Mondays at 06:00; 2026-03-02 is a Monday
        ScheduleSlots mondays = ScheduleSlots.of("0", "0", "6", "*", "*", "Mon", "*", UTC);
        assertThat(mondays.latestAtOrBefore(at("2026-03-06T12:00:00Z"))).contains(at("2026-03-02T06:00:00Z"));
        // last day of February
        ScheduleSlots last = ScheduleSlots.of("0", "0", "0", "Last", "*", "*", "*", UTC);
        assertThat(last.latestAtOrBefore(at("2026-03-15T00:00:00Z"))).contains(at("2026-02-28T00:00:00Z"));
        // both restricted: either matches (the 1st of the month, or a Sunday)
        ScheduleSlots either = ScheduleSlots.of("0", "0", "0", "1", "*", "Sun", "*", UTC);
        assertThat(either.latestAtOrBefore(at("2026-03-03T00:00:00Z"))).contains(at("2026-03-01T00:00:00Z"));
        assertThat(either.latestAtOrBefore(at("2026-03-10T00:00:00Z"))).contains(at("2026-03-08T00:00:00Z"));
        ScheduleSlots wrap = ScheduleSlots.of("0", "0", "0", "*", "Nov-Feb", "*", "*", UTC);
        assertThat(wrap.latestAtOrBefore(at("2026-06-10T00:00:00Z"))).contains(at("2026-02-28T00:00:00Z"));
        ScheduleSlots sunday7 = ScheduleSlots.of("0", "0", "0", "*", "*", "7", "*", UTC);
        assertThat(sunday7.latestAtOrBefore(at("2026-03-03T00:00:00Z"))).contains(at("2026-03-01T00:00:00Z"));
    }

    @Test
    void timeZonesAndDaylightSavingGaps() {
        ScheduleSlots saoPaulo = ScheduleSlots.of("0", "0", "3", "*", "*", "*", "*", ZoneId.of("America/Sao_Paulo"));
        assertThat(saoPaulo.latestAtOrBefore(at("2026-03-01T12:00:00Z"))).contains(at("2026-03-01T06:00:00Z"));
        // 2026-03-08 02:30 does not exist in New York: that day's slot is skipped
        ScheduleSlots ny = ScheduleSlots.of("0", "30", "2", "*", "*", "*", "*", ZoneId.of("America/New_York"));
        assertThat(ny.latestAtOrBefore(at("2026-03-08T12:00:00Z"))).contains(at("2026-03-07T07:30:00Z"));
    }

    @Test
    void yearsAndNoSlotAtAll() {
        ScheduleSlots s = ScheduleSlots.of("0", "0", "0", "1", "Jan", "*", "2020", UTC);
        assertThat(s.latestAtOrBefore(at("2026-03-01T00:00:00Z"))).contains(at("2020-01-01T00:00:00Z"));
        assertThat(ScheduleSlots.of("0", "0", "0", "1", "Jan", "*", "2030", UTC)
                        .latestAtOrBefore(at("2026-03-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void unsupportedExpressionsAreRejected() {
        assertThatThrownBy(() -> ScheduleSlots.of("0", "0", "0", "1st Fri", "*", "*", "*", UTC))
                .hasMessageContaining("dayOfMonth");
        assertThatThrownBy(() -> slots("61", "*", "*")).hasMessageContaining("outside");
        assertThatThrownBy(() -> ScheduleSlots.of("0", "0", "0", "*", "*/2", "*", "*", UTC))
                .hasMessageContaining("increments");
    }
}
