/**
 * The connection budget seen from outside: {@code GET /api/cluster/capacity} for operators, the readiness check that
 * keeps a replica over budget out of service, and its gauges.
 */
package com.advwell.capacity.boundary;
