-- Makes a delayed job waiting now.
-- KEYS[1] queue key prefix
-- ARGV[1] job ref (the id, or "<tenant>/<id>" for a tenant's job; see include/queue.lua)
-- Returns: 0 = promoted, -1 JOB_NOT_FOUND, -3 WRONG_STATE (not delayed)
-- @include queue.lua
local id = ARGV[1]
local jk = jobKey(id)
if redis.call('EXISTS', jk) == 0 then
  return -1
end
if redis.call('HGET', jk, 's') ~= 'd' then
  return -3
end
redis.call('ZREM', stateKey('d'), id)
toWaiting(id, false)
signal()
return 0
