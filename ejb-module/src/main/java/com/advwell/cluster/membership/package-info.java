/**
 * Replica membership: each replica's heartbeat record in Redis, the registry that lists and prunes them, and the
 * leader's pruning task.
 */
package com.advwell.cluster.membership;
