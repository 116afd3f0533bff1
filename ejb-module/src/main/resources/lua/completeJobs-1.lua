-- Completes several active jobs at once (a consumer's completions collected while its previous call was in flight),
-- each only if the caller still holds that job's lock, then optionally fetches the next jobs, all in one round trip.
-- A job whose lock was lost is not touched; the others in the batch complete all the same.
-- KEYS[1] queue key prefix
-- ARGV[1] number of jobs n; then n triples: job ref, lock token it was fetched with, result (JSON, '' = none)
-- then: how many jobs to fetch next (0 = none), their lock token, lock ms, worker, how many more to prefetch
-- A call may be repeated with the same tokens when its reply was lost (a failover): a job this token already
-- completed answers 1 and is not completed or counted again.
-- Returns: {code1, ..., coden, fetch...}: each code 0 = completed, 1 = already completed with this token, -1
-- JOB_NOT_FOUND, -2 LOCK_LOST; followed by the fetch reply (see fetchJobs in include/queue.lua) when jobs were
-- asked for.
-- @include queue.lua
local n = tonumber(ARGV[1])
local now = nowMs()
local m = readMeta()
local out = completeJobs(ARGV, 2, 1 + n * 3, now, m)
local b = 2 + n * 3
local more = tonumber(ARGV[b])
local extra = tonumber(ARGV[b + 4] or '0')
if more > 0 or extra > 0 then
  local f = fetchJobs(ARGV[b + 1], more, tonumber(ARGV[b + 2]), ARGV[b + 3], now, m, extra)
  for i = 1, #f do
    out[#out + 1] = f[i]
  end
end
return out
