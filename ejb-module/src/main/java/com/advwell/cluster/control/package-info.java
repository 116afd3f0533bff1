/**
 * Leader election through a Redis lease with a fencing epoch, replica membership heartbeats, and the ledger that lets
 * {@link com.advwell.cluster.control.LeaderOnly} EJB timers run each slot at most once across replicas.
 */
package com.advwell.cluster.control;
