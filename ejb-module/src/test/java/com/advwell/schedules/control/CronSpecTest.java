package com.advwell.schedules.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Parsing and slots of client cron expressions, with no container. */
class CronSpecTest {

    @Test
    void fiveFieldsAreUnixInTheDefaultZone() {
        CronSpec spec = CronSpec.parse("0  9 * * 1-5", null);
        assertThat(spec.dialect()).isEqualTo(CronSpec.Dialect.UNIX);
        assertThat(spec.expression()).isEqualTo("0 9 * * 1-5");
        assertThat(spec.zone().getId()).isEqualTo("America/Sao_Paulo");
        // Friday 2026-03-06 12:00 UTC is 09:00 in São Paulo (UTC-3): the next slot is Monday 09:00 local
        assertThat(spec.nextAfter(Instant.parse("2026-03-06T12:00:00Z")))
                .contains(Instant.parse("2026-03-09T12:00:00Z"));
        assertThat(spec.latestAtOrBefore(Instant.parse("2026-03-06T12:00:00Z")))
                .contains(Instant.parse("2026-03-06T12:00:00Z"));
        assertThat(spec.latestAtOrBefore(Instant.parse("2026-03-06T11:59:59Z")))
                .contains(Instant.parse("2026-03-05T12:00:00Z"));
    }

    @Test
    void sixFieldsAreQuartzWithSeconds() {
        CronSpec spec = CronSpec.parse("*/15 * * * * ?", "UTC");
        assertThat(spec.dialect()).isEqualTo(CronSpec.Dialect.QUARTZ);
        assertThat(spec.nextAfter(Instant.parse("2026-03-06T12:00:00Z")))
                .contains(Instant.parse("2026-03-06T12:00:15Z"));
        assertThat(spec.latestAtOrBefore(Instant.parse("2026-03-06T12:00:29.999Z")))
                .contains(Instant.parse("2026-03-06T12:00:15Z"));
    }

    @Test
    void sevenFieldsAreQuartzWithAYear() {
        CronSpec spec = CronSpec.parse("0 30 10 1 1 ? 2030", "UTC");
        assertThat(spec.dialect()).isEqualTo(CronSpec.Dialect.QUARTZ);
        assertThat(spec.nextAfter(Instant.parse("2026-03-06T12:00:00Z")))
                .contains(Instant.parse("2030-01-01T10:30:00Z"));
        assertThat(spec.nextAfter(Instant.parse("2030-01-01T10:30:00Z"))).isEmpty();
    }

    @Test
    void slotsFollowDaylightSavingTime() {
        CronSpec spec = CronSpec.parse("0 12 * * *", "America/New_York");
        // EST (UTC-5) before 2026-03-08, EDT (UTC-4) from then on
        assertThat(spec.nextAfter(Instant.parse("2026-03-07T00:00:00Z")))
                .contains(Instant.parse("2026-03-07T17:00:00Z"));
        assertThat(spec.nextAfter(Instant.parse("2026-03-08T00:00:00Z")))
                .contains(Instant.parse("2026-03-08T16:00:00Z"));
    }

    @Test
    void invalidExpressionsNameTheCronField() {
        for (String bad :
                new String[] {"", "* * * *", "* * * * * * * *", "61 * * * *", "* * * * * *x", "nonsense x y z w"}) {
            assertThatThrownBy(() -> CronSpec.parse(bad, "UTC"))
                    .as(bad)
                    .isInstanceOfSatisfying(RefusedException.class, e -> {
                        assertThat(e.refusal()).isEqualTo(Refusal.INVALID);
                        assertThat(e.field()).contains("cron");
                    });
        }
    }

    @Test
    void unknownZonesNameTheTimeZoneField() {
        assertThatThrownBy(() -> CronSpec.parse("* * * * *", "Mars/Olympus_Mons"))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.INVALID);
                    assertThat(e.field()).contains("timeZone");
                });
    }

    @Test
    void slotsFromListTheNextFireTimesInTheSchedulesZone() {
        CronSpec spec = CronSpec.parse("30 2 * * *", "Asia/Kolkata");
        Instant first = Instant.parse("2026-03-06T21:00:00Z"); // 02:30 in Kolkata
        assertThat(spec.slotsFrom(first, 3))
                .containsExactly(first, Instant.parse("2026-03-07T21:00:00Z"), Instant.parse("2026-03-08T21:00:00Z"));
        assertThat(spec.slotsFrom(first, 0)).isEmpty();
    }
}
