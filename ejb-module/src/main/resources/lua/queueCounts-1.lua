-- Counts a queue's jobs per state, with its flags and totals, in one consistent read.
-- KEYS[1] queue key prefix
-- Returns: {waiting, delayed, active, completed, failed, paused (0/1), added, completed total, failed total,
--           retried total, stalled total}
-- @include queue.lua
local waiting = 0
for p = 0, 9 do
  waiting = waiting + redis.call('LLEN', P .. 'w' .. p)
end
local n = redis.call('HMGET', P .. 'n', 'added', 'completed', 'failed', 'retried', 'stalled')
local paused = 0
if redis.call('HGET', P .. 'm', 'paused') == '1' then
  paused = 1
end
return {waiting, redis.call('ZCARD', P .. 'd'), redis.call('ZCARD', P .. 'a'), redis.call('ZCARD', P .. 'c'),
  redis.call('ZCARD', P .. 'f'), paused, tonumber(n[1] or 0), tonumber(n[2] or 0), tonumber(n[3] or 0),
  tonumber(n[4] or 0), tonumber(n[5] or 0)}
