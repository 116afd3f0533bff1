-- Gives the leader lease up (graceful shutdown) and tells the followers, so one of them campaigns at once.
-- KEYS[1] lease: hash {owner, epoch}
-- ARGV[1] owner
-- ARGV[2] pub/sub channel on which the release is announced (a channel, not a key)
-- Returns: 1 when released and announced; -1 (NOT_HELD) when there was no lease; -2 (NOT_OWNER) when another owner
--          holds it (nothing is deleted).
local holder = redis.call('HGET', KEYS[1], 'owner')
if not holder then
  return -1
end
if holder ~= ARGV[1] then
  return -2
end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[1])
return 1
