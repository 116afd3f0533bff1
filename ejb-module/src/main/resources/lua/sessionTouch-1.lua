-- Resumes a console session: marks it seen now and pushes its idle expiry, never past its absolute expiry.
-- KEYS[1] session: hash (see sessionCreate-2.lua)
-- ARGV[1] idle ms
-- Returns: {} when there is no such session or it reached its absolute expiry (then it is deleted), otherwise
-- {keyId, clientId, clientName, tenantId, role, csrf, created, idle expiry ms, absolute expiry ms}
local s = redis.call('HMGET', KEYS[1], 'keyId', 'clientId', 'clientName', 'tenantId', 'role', 'csrf', 'created',
  'expiresAt')
if not s[1] then
  return {}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiresAt = tonumber(s[8])
if now >= expiresAt then
  redis.call('DEL', KEYS[1])
  return {}
end
local idleUntil = math.min(now + tonumber(ARGV[1]), expiresAt)
redis.call('HSET', KEYS[1], 'lastSeen', now)
redis.call('PEXPIREAT', KEYS[1], idleUntil)
return {s[1], s[2], s[3], s[4], s[5], s[6], s[7], idleUntil, expiresAt}
