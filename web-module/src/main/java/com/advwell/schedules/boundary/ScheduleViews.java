package com.advwell.schedules.boundary;

import com.advwell.platform.json.Jsonp;
import com.advwell.schedules.control.CronSpec;
import com.advwell.schedules.control.ScheduleRun;
import com.advwell.schedules.entity.ClientSchedule;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** JSON shapes of the schedules API. */
final class ScheduleViews {

    static final int NEXT_FIRE_TIMES = 5;

    private ScheduleViews() {}

    public record ScheduleView(
            String id,
            String name,
            String cron,
            String dialect,
            String timeZone,
            String queue,
            JsonObject payload,
            boolean paused,
            Instant nextFireAt,
            List<Instant> nextFireTimes,
            Instant createdAt,
            Instant updatedAt,
            long version) {
        static ScheduleView of(ClientSchedule s) {
            return new ScheduleView(
                    s.getId(),
                    s.getName(),
                    s.getCron(),
                    s.getCronDialect().toLowerCase(Locale.ROOT),
                    s.getTimeZone(),
                    s.getQueue(),
                    json(s.getPayload()),
                    s.isPaused(),
                    s.getNextFireAt(),
                    nextFireTimes(s),
                    s.getCreatedAt(),
                    s.getUpdatedAt(),
                    s.getVersion());
        }

        /** The next fire time and the ones after it, so people see the rhythm; none while paused. */
        private static List<Instant> nextFireTimes(ClientSchedule s) {
            if (s.isPaused() || s.getNextFireAt() == null) {
                return List.of();
            }
            return CronSpec.parse(s.getCron(), s.getTimeZone()).slotsFrom(s.getNextFireAt(), NEXT_FIRE_TIMES);
        }
    }

    public record RunView(
            String scheduleId,
            Instant slot,
            String trigger,
            String outcome,
            long epoch,
            String instanceId,
            Instant startedAt,
            Instant finishedAt,
            String error,
            String detail) {
        static RunView of(ScheduleRun r) {
            return new RunView(
                    r.scheduleId(),
                    r.slot(),
                    r.trigger(),
                    r.outcome(),
                    r.epoch(),
                    r.instanceId(),
                    r.startedAt(),
                    r.finishedAt(),
                    r.error(),
                    r.detail());
        }
    }

    private static JsonObject json(String text) {
        return Jsonp.readObject(text);
    }
}
