package com.advwell.schedules.control;

import java.time.Instant;

/** One row of a client schedule's run history ({@code schedule_runs}). */
public record ScheduleRun(
        String scheduleId,
        Instant slot,
        long epoch,
        String instanceId,
        String trigger,
        String outcome,
        Instant startedAt,
        Instant finishedAt,
        String error,
        String detail) {}
