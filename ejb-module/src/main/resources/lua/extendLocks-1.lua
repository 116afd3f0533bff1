-- Extends the locks of jobs the caller is still running.
-- KEYS[1] queue key prefix
-- ARGV[1] lock time ms from now; then pairs of (job ref, lock token)
-- Returns: the ids whose lock the caller no longer holds (they must not be completed by it).
-- @include queue.lua
local deadline = nowMs() + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if lockError(id, ARGV[i + 1]) then
    lost[#lost + 1] = id
  else
    redis.call('ZADD', stateKey('a'), 'XX', deadline, id)
  end
end
return lost
