-- Lists the members whose heartbeat has not expired, by Redis's clock.
-- KEYS[1] member index: sorted set, member = instance id, score = expiry (Redis time in ms)
-- Returns: the instance ids of live members (possibly empty).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], string.format('(%d', now), '+inf')
