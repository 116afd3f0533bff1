/**
 * Guarded tasks: {@link com.advwell.cluster.tasks.LeaderOnly} EJB timers that run only on the leader, at most once
 * per slot across replicas, recorded in the epoch-fenced slot ledger, with the misfire plan a new leader follows.
 */
package com.advwell.cluster.tasks;
