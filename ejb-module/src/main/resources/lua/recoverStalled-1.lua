-- Finds active jobs whose lock ran out (the consumer died, hung, or lost Redis) and puts them back at the head of
-- their waiting list, or fails them once they stalled more than the queue's max stalls (m.ms, default 2).
-- KEYS[1] queue key prefix
-- ARGV[1] maximum number of jobs to handle in this call
-- Returns: {back to waiting, failed}
-- @include queue.lua
local now = nowMs()
local ids = redis.call('ZRANGEBYSCORE', stateKey('a'), '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local maxStalls = meta('ms', 2)
local back, failed = 0, 0
for _, id in ipairs(ids) do
  redis.call('ZREM', stateKey('a'), id)
  local jk = jobKey(id)
  if redis.call('EXISTS', jk) == 1 then
    local stalls = redis.call('HINCRBY', jk, 'sc', 1)
    redis.call('HINCRBY', totalsKey(), 'stalled', 1)
    emit('stalled', id)
    if stalls > maxStalls then
      redis.call('ZREM', stateKey('a'), id)
      failForGood(id, now, 'stalled ' .. stalls .. ' times: its lock ran out (the consumer died or hung)', '')
      failed = failed + 1
    else
      -- a stall is not an attempt of the handler: give the attempt back
      redis.call('HINCRBY', jk, 'ac', -1)
      toWaiting(id, true)
      back = back + 1
    end
  end
end
if back > 0 then
  signal()
end
return {back, failed}
