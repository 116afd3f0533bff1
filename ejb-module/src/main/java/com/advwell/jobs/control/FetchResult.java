package com.advwell.jobs.control;

import java.util.List;

/**
 * What a fetch returned: jobs, or why there were none and how long waiting is worthwhile ({@code hintMillis},
 * -1 = until a new job arrives). {@code redisNowMillis} is Redis' clock at the fetch.
 */
public record FetchResult(Status status, long hintMillis, long redisNowMillis, List<FetchedJob> jobs) {

    public enum Status {
        OK,
        PAUSED,
        ACTIVE_LIMIT,
        RATE_LIMITED
    }

    static final FetchResult NONE = new FetchResult(Status.OK, -1, 0, List.of());
}
