-- Marks an active job completed if the caller still holds its lock, then optionally fetches the caller's next job
-- in the same round trip.
-- KEYS[1] queue key prefix
-- ARGV[1] job id
-- ARGV[2] lock token the job was fetched with
-- ARGV[3] result (JSON, '' = none)
-- ARGV[4] how many jobs to fetch next (0 = none); ARGV[5] their lock token; ARGV[6] lock ms; ARGV[7] worker
-- Returns: {code, fetch...}: code 0 = completed, -1 JOB_NOT_FOUND, -2 LOCK_LOST (another consumer owns it now,
-- or it was handed back); followed by the fetch reply when ARGV[4] > 0 (see fetchJobs).
-- @include queue.lua
local now = nowMs()
local m = readMeta()
local out = completeJobs(ARGV, 1, 3, now, m)
local more = tonumber(ARGV[4])
if more > 0 then
  local f = fetchJobs(ARGV[5], more, tonumber(ARGV[6]), ARGV[7], now, m)
  for i = 1, #f do
    out[#out + 1] = f[i]
  end
end
return out
