-- Records a running job's progress or appends a line to its log, if the caller still holds its lock.
-- KEYS[1] queue key prefix
-- ARGV[1] job ref (the id, or "<tenant>/<id>" for a tenant's job; see include/queue.lua)
-- ARGV[2] lock token
-- ARGV[3] 'progress' or 'log'
-- ARGV[4] progress (0-100) or the log line
-- ARGV[5] maximum log lines kept
-- Returns: 0 = recorded, -1 JOB_NOT_FOUND, -2 LOCK_LOST
-- @include queue.lua
local id = ARGV[1]
local err = lockError(id, ARGV[2])
if err then
  return err
end
if ARGV[3] == 'progress' then
  redis.call('HSET', jobKey(id), 'pg', ARGV[4])
  emit('progress', id, ARGV[4])
else
  local lk = logKey(id)
  redis.call('RPUSH', lk, ARGV[4])
  redis.call('LTRIM', lk, -tonumber(ARGV[5]), -1)
  redis.call('HSET', jobKey(id), 'lg', '1')
end
return 0
