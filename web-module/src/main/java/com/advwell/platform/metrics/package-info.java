/** Application metrics of the replica, exported by MicroProfile Metrics in Prometheus format. */
package com.advwell.platform.metrics;
