-- Removes a waiting or delayed job (cancel). Active and finished jobs are not cancelled.
-- KEYS[1] queue key prefix
-- ARGV[1] job ref (the id, or "<tenant>/<id>" for a tenant's job; see include/queue.lua)
-- Returns: 0 = cancelled, -1 JOB_NOT_FOUND, -3 WRONG_STATE
-- @include queue.lua
local id = ARGV[1]
local jk = jobKey(id)
local f = redis.call('HMGET', jk, 's', 'p')
if not f[1] and redis.call('EXISTS', jk) == 0 then
  return -1
end
if not f[1] then
  redis.call('LREM', waitingKey(f[2] or '4'), 1, id)
elseif f[1] == 'd' then
  redis.call('ZREM', stateKey('d'), id)
else
  return -3
end
deleteJob(id)
return 0
