-- Removes this replica's membership at a graceful shutdown.
-- KEYS[1] member record
-- KEYS[2] member index
-- ARGV[1] instance id
-- Returns: 1 when the member was indexed, 0 otherwise.
redis.call('DEL', KEYS[1])
return redis.call('ZREM', KEYS[2], ARGV[1])
