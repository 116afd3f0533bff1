-- Writes this replica's membership record and (re)indexes it until it would expire, using Redis's clock.
-- KEYS[1] member record: hash of the replica's fields, with a TTL
-- KEYS[2] member index: sorted set, member = instance id, score = expiry (Redis time in ms)
-- ARGV[1] instance id
-- ARGV[2] time to live in ms
-- ARGV[3..] field, value, field, value ... of the record; joinedAt (Redis time in ms of the process's first
--           heartbeat) once the replica knows it, so the join time survives an expired record or a Redis failover
-- Returns: Redis time in ms at the heartbeat (stored as the record's lastSeen, and as joinedAt when ARGV has none).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'lastSeen', string.format('%d', now), unpack(ARGV, 3))
redis.call('HSETNX', KEYS[1], 'joinedAt', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], string.format('%d', now + ttl), ARGV[1])
return now
