-- Deletes completed or failed jobs that finished before a cut-off, and drops set members whose job hash already
-- expired (retention by age is a TTL on the hash; this keeps the sets in step).
-- KEYS[1] queue key prefix
-- ARGV[1] 'c' or 'f'
-- ARGV[2] age ms: jobs finished more than this long ago go
-- ARGV[3] maximum number of jobs per call
-- Returns: number removed
-- @include queue.lua
local set = stateKey(ARGV[1])
local cutoff = nowMs() - tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', set, '-inf', cutoff, 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('ZREM', set, id)
  deleteJob(id)
end
return #ids
