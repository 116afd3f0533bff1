package com.advwell.cluster.tasks;

/** What a new leader does with the slots of a task that came due while no one ran it. */
public enum Misfire {
    /** Run the most recent missed slot once, late; record the older missed slots as SKIPPED. */
    CATCH_UP,
    /** Run none of them; record every missed slot as SKIPPED. */
    SKIP
}
