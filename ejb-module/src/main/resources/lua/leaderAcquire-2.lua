-- Takes the leader lease when it is free (or still held by the caller) and raises the fencing epoch in the same step.
-- KEYS[1] lease: hash {owner, epoch} with the lease time as its TTL
-- KEYS[2] epoch counter (never expires)
-- ARGV[1] owner: instance id ":" random token of the campaigning process
-- ARGV[2] lease time in ms
-- ARGV[3] epoch floor: the new epoch is made greater than this (the caller saw a newer epoch in the ledger, e.g.
--         because a Redis failover lost the last INCR)
-- Returns: the new epoch (> 0) when the lease is now the caller's; 0 (HELD_BY_OTHER) when another owner holds it.
local holder = redis.call('HGET', KEYS[1], 'owner')
if holder and holder ~= ARGV[1] then
  return 0
end
local epoch = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if epoch <= floor then
  epoch = floor + 1
  redis.call('SET', KEYS[2], epoch)
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', epoch)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return epoch
