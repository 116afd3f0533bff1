-- Puts failed jobs back to waiting with fresh attempts: one job (ARGV[1] = its ref) or the oldest failed ones
-- (ARGV[1] = '', at most ARGV[2] of them).
-- KEYS[1] queue key prefix
-- Returns: number of jobs retried; -1 JOB_NOT_FOUND, -3 WRONG_STATE (not failed) for a single id
-- @include queue.lua
local function retry(id)
  redis.call('ZREM', stateKey('f'), id)
  local jk = jobKey(id)
  redis.call('PERSIST', jk)
  redis.call('PERSIST', logKey(id))
  redis.call('HDEL', jk, 'ac', 'sc', 'fin', 'e', 'es', 'pg')
  toWaiting(id, false)
end
local n = 0
if ARGV[1] ~= '' then
  local jk = jobKey(ARGV[1])
  if redis.call('EXISTS', jk) == 0 then
    return -1
  end
  if redis.call('HGET', jk, 's') ~= 'f' then
    return -3
  end
  retry(ARGV[1])
  n = 1
else
  local ids = redis.call('ZRANGE', stateKey('f'), 0, tonumber(ARGV[2]) - 1)
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', jobKey(id)) == 1 then
      retry(id)
      n = n + 1
    else
      redis.call('ZREM', stateKey('f'), id)
    end
  end
end
if n > 0 then
  signal()
end
return n
