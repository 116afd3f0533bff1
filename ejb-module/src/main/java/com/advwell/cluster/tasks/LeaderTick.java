package com.advwell.cluster.tasks;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * A one-second guarded task for the cluster and chaos tests: its whole effect is its row in the ledger, so the
 * ledger shows whether any second ran twice and which seconds the misfire policy explains. Off unless
 * {@code LEADER_TICK_ENABLED=true}.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LeaderTick {

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false)
    @LeaderOnly(name = "leader-tick", enabledBy = "LEADER_TICK_ENABLED")
    public void tick() {
        // the ledger row written by the guard is the effect
    }
}
