package com.advwell.schedules.control;

/**
 * What a client sets on a schedule, already checked for shape by the boundary ({@code payload} is a JSON object's
 * text); the cron expression and time zone are checked here, by {@link CronSpec}.
 */
public record ScheduleDraft(String name, String cron, String timeZone, String queue, String payload) {}
