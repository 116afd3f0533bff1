package com.advwell.schedules.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * What a client schedule does on a slot. Until the job queue (issue 4) lands, the ledger row is the whole effect;
 * this is where the queue will enqueue {@code payload} on {@code queue}. Returns a note for the run's history.
 */
@ApplicationScoped
public class ScheduleAction {

    public String perform(ScheduleLedger.Claimed run) {
        return "recorded only: the job queue is pending (issue 4); would enqueue on '" + run.queue() + "'";
    }
}
