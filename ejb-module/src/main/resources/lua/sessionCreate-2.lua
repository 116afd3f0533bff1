-- Stores a new console session and indexes it under its API key (so a revocation finds every session of the key).
-- KEYS[1] session: hash {keyId, clientId, clientName, tenantId, role, csrf, created, lastSeen, expiresAt}
-- KEYS[2] the key's sessions: set of session keys
-- ARGV[1] idle ms, ARGV[2] absolute ms, ARGV[3] keyId, ARGV[4] clientId, ARGV[5] clientName,
-- ARGV[6] tenantId ('' for none), ARGV[7] role, ARGV[8] csrf token
-- Returns: {created ms, idle expiry ms, absolute expiry ms}, all Redis time (never a replica's clock)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local idle = tonumber(ARGV[1])
local expiresAt = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'keyId', ARGV[3], 'clientId', ARGV[4], 'clientName', ARGV[5], 'tenantId', ARGV[6],
  'role', ARGV[7], 'csrf', ARGV[8], 'created', now, 'lastSeen', now, 'expiresAt', expiresAt)
redis.call('PEXPIRE', KEYS[1], math.min(idle, expiresAt - now))
redis.call('SADD', KEYS[2], KEYS[1])
-- the index lives as long as the longest session in it could
local ttl = redis.call('PTTL', KEYS[2])
if ttl < tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
end
return {now, math.min(now + idle, expiresAt), expiresAt}
