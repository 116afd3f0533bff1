/** The cluster seen from outside: {@code GET /api/cluster} for operators and the leader/membership metrics. */
package com.advwell.cluster.boundary;
