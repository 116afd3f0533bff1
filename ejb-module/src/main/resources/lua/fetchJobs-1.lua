-- Moves up to ARGV[2] waiting jobs to active, each locked by ARGV[1] until now + ARGV[3] ms.
-- KEYS[1] queue key prefix
-- ARGV[1] lock token (replica id ":" random, new for every fetch)
-- ARGV[2] maximum number of jobs
-- ARGV[3] lock time ms
-- ARGV[4] worker (replica id), recorded on the job
-- Returns: {status, hint, now, jobs...} as described at fetchJobs in include/queue.lua; each job is its id followed by
-- t, d, ac, at, bo, to, ts, tn, p ('' when absent).
-- @include queue.lua
return fetchJobs(ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], nowMs())
