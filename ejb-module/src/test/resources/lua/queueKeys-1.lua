-- Every key the queue scripts derive, by the functions they use, for QueueKeyLayoutIT to hold against RedisKeys.
-- KEYS[1] queue key prefix
-- ARGV[1] tenant ('' = a system job)
-- ARGV[2] job id
-- Returns: {ref, job hash, job logs, waiting lists 0..9, delayed, active, completed, failed, meta, totals, signal,
--           rate limit, events}
-- @include queue.lua
local ref = jobRef(ARGV[1], ARGV[2])
local out = {ref, jobKey(ref), logKey(ref)}
for p = 0, 9 do
  out[#out + 1] = waitingKey(p)
end
for _, state in ipairs({'d', 'a', 'c', 'f'}) do
  out[#out + 1] = stateKey(state)
end
out[#out + 1] = metaKey()
out[#out + 1] = totalsKey()
out[#out + 1] = signalKey()
out[#out + 1] = rateKey()
out[#out + 1] = eventsKey()
return out
