-- Counts a queue's jobs per state, with its flags and totals, in one consistent read.
-- KEYS[1] queue key prefix
-- Returns: {waiting, delayed, active, completed, failed, paused (0/1), added, completed total, failed total,
--           retried total, stalled total}
-- @include queue.lua
local waiting = 0
for p = 0, 9 do
  waiting = waiting + redis.call('LLEN', waitingKey(p))
end
local n = redis.call('HMGET', totalsKey(), 'added', 'completed', 'failed', 'retried', 'stalled')
local paused = 0
if redis.call('HGET', metaKey(), 'paused') == '1' then
  paused = 1
end
return {waiting, redis.call('ZCARD', stateKey('d')), redis.call('ZCARD', stateKey('a')), redis.call('ZCARD', stateKey('c')),
  redis.call('ZCARD', stateKey('f')), paused, tonumber(n[1] or 0), tonumber(n[2] or 0), tonumber(n[3] or 0),
  tonumber(n[4] or 0), tonumber(n[5] or 0)}
