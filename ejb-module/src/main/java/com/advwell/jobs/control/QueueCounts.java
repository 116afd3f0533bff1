package com.advwell.jobs.control;

/** A queue's jobs per state, its paused flag and its totals since it was created, read in one step. */
public record QueueCounts(
        long waiting,
        long delayed,
        long active,
        long completed,
        long failed,
        boolean paused,
        long addedTotal,
        long completedTotal,
        long failedTotal,
        long retriedTotal,
        long stalledTotal) {}
