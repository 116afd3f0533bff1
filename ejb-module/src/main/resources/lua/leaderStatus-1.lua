-- Reads the lease and its remaining time in one atomic step.
-- KEYS[1] lease: hash {owner, epoch}
-- Returns: {owner, epoch, remaining ms} or {} when no one holds the lease.
local lease = redis.call('HMGET', KEYS[1], 'owner', 'epoch')
if not lease[1] then
  return {}
end
return {lease[1], lease[2], redis.call('PTTL', KEYS[1])}
