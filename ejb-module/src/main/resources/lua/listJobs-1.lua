-- Pages through the jobs in one state, newest finished first for completed/failed, serving order for waiting,
-- due order for delayed, lock deadline order for active; optionally only one tenant's jobs.
-- KEYS[1] queue key prefix
-- ARGV[1] state: waiting, delayed, active, completed, failed
-- ARGV[2] cursor (position to start from, 0 first)
-- ARGV[3] maximum jobs to return
-- ARGV[4] tenant ('' = all)
-- ARGV[5] maximum positions examined in this call (bounds the work when filtering by tenant)
-- Returns: {next cursor (0 = end), ref1, ref2, ...} (refs: see include/queue.lua)
-- @include queue.lua
local state, pos, want, tenant, budget = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local found = {}
-- a tenant's jobs are the refs that start with "<tenant>/": no need to read each job's hash
local mine = tenant .. '/'
local function take(ids)
  for _, id in ipairs(ids) do
    pos = pos + 1
    budget = budget - 1
    if tenant == '' or string.sub(id, 1, #mine) == mine then
      found[#found + 1] = id
    end
    if #found >= want or budget <= 0 then
      return true
    end
  end
  return false
end
local ended = false
if state == 'waiting' then
  -- positions run over w9, w8, ... w0 as if they were one list
  local skip = pos
  local base = 0
  local full = false
  for p = 9, 0, -1 do
    local key = waitingKey(p)
    local len = redis.call('LLEN', key)
    if skip < base + len and not full then
      local from = math.max(0, skip - base)
      local ids = redis.call('LRANGE', key, from, from + math.min(want + budget, 1000) - 1)
      full = take(ids)
      skip = pos
    end
    base = base + len
  end
  ended = pos >= base
else
  local key = stateKey(({delayed = 'd', active = 'a', completed = 'c', failed = 'f'})[state])
  local ids
  if state == 'completed' or state == 'failed' then
    ids = redis.call('ZREVRANGE', key, pos, pos + math.min(budget, 1000) - 1)
  else
    ids = redis.call('ZRANGE', key, pos, pos + math.min(budget, 1000) - 1)
  end
  local full = take(ids)
  ended = not full and #ids < math.min(budget, 1000)
end
local out = {0}
if not ended then
  out[1] = pos
end
for _, id in ipairs(found) do
  out[#out + 1] = id
end
return out
