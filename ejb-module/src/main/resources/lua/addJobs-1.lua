-- Adds one or more jobs to a queue. A job whose id already exists is left as it is (idempotent add).
-- KEYS[1] queue key prefix (see include/queue.lua for the keys under it)
-- ARGV[1] number of jobs; then 10 values per job:
--   id ('' = next number of the queue's counter), type, payload (JSON), priority 0-9, delay ms (0 = none),
--   max attempts, backoff ('' = default), timeout ms ('' = none), tenant ('' = none),
--   retention 'completedMs,failedMs' ('' = queue default)
-- A tenant's job is stored under the ref "<tenant>/<id>" (see include/queue.lua), so the same id from two tenants is
-- two jobs, and the same id twice from one tenant (or twice as a system job) is one.
-- Returns: for each job, its id (without the tenant) and 1 when it was added or 0 when that tenant (or the system)
-- already had a job with that id.
-- @include queue.lua
local n = tonumber(ARGV[1])
local now = nowMs()
local out = {}
local added = 0
local woke = false
-- numbers for the jobs without an id, taken from the counter in one call
local unnamed = 0
for i = 0, n - 1 do
  if ARGV[2 + i * 10] == '' then
    unnamed = unnamed + 1
  end
end
local seq = 0
if unnamed > 0 then
  seq = redis.call('HINCRBY', metaKey(), 'seq', unnamed) - unnamed
end
-- new waiting jobs per priority list, pushed in one call per list (FIFO order kept)
local waiting = {}
for i = 0, n - 1 do
  local b = 2 + i * 10
  local id = ARGV[b]
  if id == '' then
    seq = seq + 1
    id = tostring(seq)
  end
  local tenant = ARGV[b + 8]
  local ref = jobRef(tenant, id)
  local jk = jobKey(ref)
  if redis.call('EXISTS', jk) == 1 then
    out[#out + 1] = id
    out[#out + 1] = 0
  else
    local fields = {'t', ARGV[b + 1], 'd', ARGV[b + 2], 'ts', now}
    local p = ARGV[b + 3]
    if p ~= '4' then
      fields[#fields + 1] = 'p'; fields[#fields + 1] = p
    end
    if ARGV[b + 5] ~= '1' then
      fields[#fields + 1] = 'at'; fields[#fields + 1] = ARGV[b + 5]
    end
    if ARGV[b + 6] ~= '' then
      fields[#fields + 1] = 'bo'; fields[#fields + 1] = ARGV[b + 6]
    end
    if ARGV[b + 7] ~= '' then
      fields[#fields + 1] = 'to'; fields[#fields + 1] = ARGV[b + 7]
    end
    if tenant ~= '' then
      fields[#fields + 1] = 'tn'; fields[#fields + 1] = tenant
    end
    local r = ARGV[b + 9]
    if r ~= '' then
      local comma = string.find(r, ',', 1, true)
      fields[#fields + 1] = 'rc'; fields[#fields + 1] = string.sub(r, 1, comma - 1)
      fields[#fields + 1] = 'rf'; fields[#fields + 1] = string.sub(r, comma + 1)
    end
    local delay = tonumber(ARGV[b + 4])
    if delay > 0 then
      fields[#fields + 1] = 's'; fields[#fields + 1] = 'd'
      fields[#fields + 1] = 'rt'; fields[#fields + 1] = now + delay
    end
    redis.call('HSET', jk, unpack(fields))
    if delay > 0 then
      redis.call('ZADD', stateKey('d'), now + delay, ref)
      -- an idle consumer may be sleeping until a later due time
      woke = true
    else
      local list = waiting[p]
      if not list then
        list = {}
        waiting[p] = list
      end
      list[#list + 1] = ref
      woke = true
    end
    added = added + 1
    out[#out + 1] = id
    out[#out + 1] = 1
  end
end
for p, ids in pairs(waiting) do
  for from = 1, #ids, 1000 do
    redis.call('RPUSH', waitingKey(p), unpack(ids, from, math.min(from + 999, #ids)))
  end
end
if added > 0 then
  redis.call('HINCRBY', totalsKey(), 'added', added)
end
if woke then
  signal()
end
return out
