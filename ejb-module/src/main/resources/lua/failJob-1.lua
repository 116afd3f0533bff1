-- Records a failed attempt of an active job the caller still holds: retried after a delay, or failed for good.
-- KEYS[1] queue key prefix
-- ARGV[1] job ref (the id, or "<tenant>/<id>" for a tenant's job; see include/queue.lua)
-- ARGV[2] lock token
-- ARGV[3] error message
-- ARGV[4] stack trace ('' = none)
-- ARGV[5] retry delay ms; -1 = no retry (attempts exhausted or a permanent error): the job goes to failed
-- Returns: 0 = retried, 1 = failed for good, -1 JOB_NOT_FOUND, -2 LOCK_LOST
-- @include queue.lua
local id = ARGV[1]
local err = lockError(id, ARGV[2])
if err then
  return err
end
local now = nowMs()
local delay = tonumber(ARGV[5])
redis.call('ZREM', stateKey('a'), id)
if delay < 0 then
  failForGood(id, now, ARGV[3], ARGV[4])
  return 1
end
local jk = jobKey(id)
redis.call('HSET', jk, 'e', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', jk, 'es', ARGV[4])
end
redis.call('HINCRBY', totalsKey(), 'retried', 1)
if delay == 0 then
  toWaiting(id, false)
  signal()
else
  redis.call('HDEL', jk, 'lk', 'w')
  redis.call('HSET', jk, 's', 'd', 'rt', now + delay)
  redis.call('ZADD', stateKey('d'), now + delay, id)
  signal()
end
return 0
