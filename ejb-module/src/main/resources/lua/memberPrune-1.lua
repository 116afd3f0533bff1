-- Removes members whose heartbeat expired from the index (their records expired by TTL already).
-- KEYS[1] member index: sorted set, member = instance id, score = expiry (Redis time in ms)
-- Returns: how many members were removed.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
