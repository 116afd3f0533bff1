package com.advwell.jobs.boundary;

import java.util.List;

/** Up to {@code JobQueues.MAX_BULK} jobs added together: all of them or none. */
public record BulkRequest(List<JobRequest> jobs) {}
