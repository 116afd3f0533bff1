-- Extends the leader lease, only for the owner of the current term.
-- KEYS[1] lease: hash {owner, epoch}
-- ARGV[1] owner
-- ARGV[2] lease time in ms
-- ARGV[3] the caller's epoch
-- Returns: the lease time in ms (> 0) when renewed; -1 (NOT_HELD) when there is no lease (it expired);
--          -2 (NOT_OWNER) when another owner or another term holds it.
local lease = redis.call('HMGET', KEYS[1], 'owner', 'epoch')
if not lease[1] then
  return -1
end
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[3] then
  return -2
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return tonumber(ARGV[2])
