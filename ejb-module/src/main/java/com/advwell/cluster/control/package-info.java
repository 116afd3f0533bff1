/**
 * What the cluster's three parts share: their settings and the overview an operator reads. The parts themselves are
 * {@code cluster.leader}, {@code cluster.membership} and {@code cluster.tasks}.
 */
package com.advwell.cluster.control;
