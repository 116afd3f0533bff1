-- Hands active jobs back to waiting at once (graceful shutdown), without counting a stall or an attempt.
-- KEYS[1] queue key prefix
-- ARGV: pairs of (job ref, lock token)
-- Returns: how many were handed back (jobs whose lock the caller no longer held are left alone).
-- @include queue.lua
local n = 0
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  if not lockError(id, ARGV[i + 1]) then
    redis.call('ZREM', stateKey('a'), id)
    redis.call('HINCRBY', jobKey(id), 'ac', -1)
    toWaiting(id, true)
    n = n + 1
  end
end
if n > 0 then
  signal()
end
return n
