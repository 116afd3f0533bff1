-- Shared by every queue script (inlined by RedisScript at "-- @include"). KEYS[1] is the queue's key prefix,
-- "<prefix>:q:{<queue>}:"; every other key of the queue is that prefix plus a suffix (RedisKeys.Queue in Java):
--   w0..w9  waiting lists, one per priority (9 is served first; FIFO within a priority)
--   d       delayed jobs, zset scored by due time (ms)
--   a       active jobs, zset scored by lock deadline (ms)
--   c / f   completed / failed jobs, zsets scored by finish time (ms)
--   m       queue settings and flags (hash): paused, ma (max active), rm/rw (rate max per window ms),
--           kc/kca (completed kept: count / age ms), kf/kfa (failed kept), ms (max stalls), seq (id counter)
--   n       totals (hash): added, completed, failed, retried, stalled
--   sig     wake-up list for idle consumers (at most one element)
--   rl      rate-limit window counter (string with a TTL)
--   ev      event stream (bounded)
--   j:<ref> job hash; l:<ref> job log list
-- A job's ref (the member of every list and set above, and its key suffix) is its id for a system job and
-- "<tenant>/<id>" for a tenant's job, so tenants do not share ids (JobRef in Java; neither part contains '/').
-- Job hash fields: t type, d payload, ts created ms, p priority (absent = 4), tn tenant, at max attempts,
--   bo backoff, to timeout ms, rc/rf retention ms after completion/failure, ac attempts made, sc stalls,
--   s state (absent = waiting; d delayed, a active, c completed, f failed), lk lock token, w worker,
--   st started ms, fin finished ms, r result, e error, es stack trace, pg progress, rt run-at ms, lg 1 once the
--   job has a log list (so finishing it touches l:<id> only then).
local P = KEYS[1]

-- Keys. The scripts derive every key of the queue with these functions and nowhere else (QueueScriptKeysTest
-- checks), the way RedisKeys.Queue does in Java (QueueKeyLayoutIT runs both in Redis); RedisKeys says why the
-- scripts take one key instead of all. Functions, not values computed here: this part runs on every call of every
-- script, and most calls need only a few of the keys.
local function jobKey(ref) return P .. 'j:' .. ref end
local function logKey(ref) return P .. 'l:' .. ref end
local function waitingKey(priority) return P .. 'w' .. priority end
-- the set of the jobs in state 'd' (delayed), 'a' (active), 'c' (completed) or 'f' (failed): the state's code
local function stateKey(state) return P .. state end
local function metaKey() return P .. 'm' end
local function totalsKey() return P .. 'n' end
local function signalKey() return P .. 'sig' end
local function rateKey() return P .. 'rl' end
local function eventsKey() return P .. 'ev' end
-- a job's ref from an add's tenant ('' = a system job) and id
local function jobRef(tenant, id)
  if tenant == '' then
    return id
  end
  return tenant .. '/' .. id
end

local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function meta(field, default)
  local v = redis.call('HGET', metaKey(), field)
  if v then
    return tonumber(v)
  end
  return default
end

-- Wakes one idle consumer; the list never holds more than one element, so this costs nothing under load.
local function signal()
  if redis.call('LLEN', signalKey()) == 0 then
    redis.call('RPUSH', signalKey(), '1')
  end
end

-- Events name the job as its producer does: 'j' the id and, for a tenant's job, 'tn' the tenant (never the ref).
local function emit(event, ref, extra)
  local args = {'XADD', eventsKey(), 'MAXLEN', '~', 10000, '*', 'e', event}
  local slash = string.find(ref, '/', 1, true)
  if slash then
    args[#args + 1] = 'j'; args[#args + 1] = string.sub(ref, slash + 1)
    args[#args + 1] = 'tn'; args[#args + 1] = string.sub(ref, 1, slash - 1)
  else
    args[#args + 1] = 'j'; args[#args + 1] = ref
  end
  if extra then
    args[#args + 1] = 'x'; args[#args + 1] = extra
  end
  redis.call(unpack(args))
end

local function toWaiting(id, front)
  local jk = jobKey(id)
  local p = redis.call('HGET', jk, 'p') or '4'
  redis.call('HDEL', jk, 's', 'lk', 'w', 'rt')
  if front then
    redis.call('LPUSH', waitingKey(p), id)
  else
    redis.call('RPUSH', waitingKey(p), id)
  end
end

local function deleteJob(id)
  redis.call('DEL', jobKey(id), logKey(id))
end

-- The queue settings the hot paths need, read in one call: paused, ma, rm, rw, kc, kca, kf, kfa.
local function readMeta()
  return redis.call('HMGET', metaKey(), 'paused', 'ma', 'rm', 'rw', 'kc', 'kca', 'kf', 'kfa')
end

local function metaNumber(v, default)
  if v then
    return tonumber(v)
  end
  return default
end

-- Moves jobs that left 'active' (and are no longer in the active set) into completed ('c') or failed ('f'),
-- applying the queue's and each job's retention. `jobs` holds {id, own retention ms or false, has logs, extra
-- fields to set...}; `m` is readMeta(). One ZADD, one trim and one DEL for the whole batch, whatever its size.
local function finishMany(jobs, now, state, m)
  if #jobs == 0 then
    return
  end
  local keep, age
  if state == 'c' then
    keep, age = metaNumber(m[5], 1000), metaNumber(m[6], 86400000)
  else
    keep, age = metaNumber(m[7], 10000), metaNumber(m[8], 604800000)
  end
  if keep <= 0 then
    local dead = {}
    for _, j in ipairs(jobs) do
      dead[#dead + 1] = jobKey(j[1])
      dead[#dead + 1] = logKey(j[1])
    end
    redis.call('DEL', unpack(dead))
    return
  end
  local set = stateKey(state)
  local members = {}
  for _, j in ipairs(jobs) do
    local id = j[1]
    local jk = jobKey(id)
    local ttl = age
    if j[2] and j[2] < ttl then
      ttl = j[2]
    end
    local fields = {'s', state, 'fin', now}
    for i = 4, #j do
      fields[#fields + 1] = j[i]
    end
    -- the lock token stays in the hash: 's' is no longer 'a', so lockError refuses it anyway
    redis.call('HSET', jk, unpack(fields))
    redis.call('PEXPIRE', jk, ttl)
    if j[3] then
      redis.call('PEXPIRE', logKey(id), ttl)
    end
    members[#members + 1] = now
    members[#members + 1] = id
  end
  redis.call('ZADD', set, unpack(members))
  local excess = redis.call('ZCARD', set) - keep
  if excess > 0 then
    local old = redis.call('ZPOPMIN', set, excess)
    local dead = {}
    for i = 1, #old, 2 do
      dead[#dead + 1] = jobKey(old[i])
      dead[#dead + 1] = logKey(old[i])
      if #dead >= 1000 then
        redis.call('DEL', unpack(dead))
        dead = {}
      end
    end
    if #dead > 0 then
      redis.call('DEL', unpack(dead))
    end
  end
end

-- One job of finishMany from the fields lockState read: own retention ('rc' or 'rf') and the log flag.
local function finishing(id, ownAge, logs)
  return {id, ownAge and tonumber(ownAge) or false, logs and true or false}
end

-- Fails an active job (already out of the active set) for good with its last error. `m` is readMeta() or nil.
local function failForGood(id, now, err, stack, m)
  local f = redis.call('HMGET', jobKey(id), 'rf', 'lg')
  local j = finishing(id, f[1], f[2])
  j[#j + 1] = 'e'
  j[#j + 1] = err
  if stack and stack ~= '' then
    j[#j + 1] = 'es'
    j[#j + 1] = stack
  end
  finishMany({j}, now, 'f', m or readMeta())
  redis.call('HINCRBY', totalsKey(), 'failed', 1)
  emit('failed', id, err)
end

-- Moves due delayed jobs to waiting (at most `limit`); returns how many.
local function promoteDue(now, limit)
  local due = redis.call('ZRANGEBYSCORE', stateKey('d'), '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', stateKey('d'), id)
    toWaiting(id, false)
  end
  return #due
end

-- The arguments of an LMPOP over the waiting lists, highest priority first, taking `count` jobs. Built when needed,
-- not at the top level: every script runs this file's top level, and most of them never fetch.
local function popArgs(count)
  local args = {'LMPOP', 10}
  for p = 9, 0, -1 do
    args[#args + 1] = waitingKey(p)
  end
  args[#args + 1] = 'LEFT'
  args[#args + 1] = 'COUNT'
  args[#args + 1] = count
  return args
end

local FETCH_FIELDS = {'t', 'd', 'ac', 'at', 'bo', 'to', 'ts', 'tn', 'p'}

-- Takes up to `max` waiting jobs, plus up to `extra` more for the consumer's local buffer (prefetch) unless the
-- queue has an active or rate limit (a buffered job would hold a cluster-wide slot or token while it waits),
-- highest priority first, honouring pause, the queue-wide active limit and the rate limit.
-- Returns {status, hint, now, id1, fields1..., id2, ...}: status 0 = ok (possibly no jobs; when fewer than asked
-- for, the queue is empty now and hint = ms until the next delayed job is due or -1), 1 = paused, 2 = active limit reached (also: the queue has limits and only prefetch was
-- asked for), 3 = rate limited (hint = ms left); now = Redis time in ms (the consumer measures waiting time with it,
-- not with its own clock). `m` is readMeta() when the caller already has it.
local function fetchJobs(token, max, lockMs, worker, now, m, extra)
  -- one look at the earliest delayed job: promote only when one is due, and it is the idle hint otherwise
  local first = redis.call('ZRANGE', stateKey('d'), 0, 0, 'WITHSCORES')
  if first[2] and tonumber(first[2]) <= now then
    promoteDue(now, 1000)
    first = nil
  end
  m = m or readMeta()
  if m[1] == '1' then
    return {1, -1, now}
  end
  if extra and extra > 0 and not m[2] and not m[3] then
    max = max + extra
  end
  if max <= 0 then
    return {2, 50, now}
  end
  if m[2] then
    local room = tonumber(m[2]) - redis.call('ZCARD', stateKey('a'))
    if room <= 0 then
      return {2, 50, now}
    end
    if room < max then
      max = room
    end
  end
  if m[3] then
    local used = tonumber(redis.call('GET', rateKey()) or '0')
    local room = tonumber(m[3]) - used
    if room <= 0 then
      local left = redis.call('PTTL', rateKey())
      if left < 0 then
        redis.call('DEL', rateKey())
        left = 1
      end
      return {3, left, now}
    end
    if room < max then
      max = room
    end
  end
  local out = {0, -1, now}
  local taken = 0
  local deadline = now + lockMs
  local locked = {}
  local pop = popArgs(max)
  while taken < max do
    -- one call finds the highest non-empty priority, instead of popping ten mostly empty lists
    pop[#pop] = max - taken
    local popped = redis.call(unpack(pop))
    if not popped then
      break
    end
    for _, id in ipairs(popped[2]) do
      local jk = jobKey(id)
      local f = redis.call('HMGET', jk, unpack(FETCH_FIELDS))
      if f[1] then
        local attempt = (tonumber(f[3]) or 0) + 1
        f[3] = tostring(attempt)
        redis.call('HSET', jk, 's', 'a', 'lk', token, 'w', worker, 'st', now, 'ac', attempt)
        locked[#locked + 1] = deadline
        locked[#locked + 1] = id
        out[#out + 1] = id
        for i = 1, #FETCH_FIELDS do
          out[#out + 1] = f[i] or ''
        end
        taken = taken + 1
      end
    end
  end
  if taken > 0 then
    redis.call('ZADD', stateKey('a'), unpack(locked))
    if m[3] and redis.call('INCRBY', rateKey(), taken) == taken then
      redis.call('PEXPIRE', rateKey(), m[4])
    end
  end
  if taken == max then
    -- more may be waiting: pass the wake-up on to another idle consumer (under load the wake-up is usually
    -- still there, since nobody is idle to take it, and this costs one LLEN)
    if redis.call('LLEN', signalKey()) == 0 then
      for i = 3, 12 do
        if redis.call('LLEN', pop[i]) > 0 then
          redis.call('RPUSH', signalKey(), '1')
          break
        end
      end
    end
  else
    -- the waiting lists are empty now: tell the consumer how long it may sleep (it does not look again first)
    if first == nil then
      first = redis.call('ZRANGE', stateKey('d'), 0, 0, 'WITHSCORES')
    end
    if first[2] then
      out[2] = math.max(1, tonumber(first[2]) - now)
    end
  end
  return out
end

-- Checks that `token` still holds job `id`. Returns nil when it does, otherwise an error code (see QueueError).
local function lockError(id, token)
  local f = redis.call('HMGET', jobKey(id), 's', 'lk')
  if not f[1] and redis.call('EXISTS', jobKey(id)) == 0 then
    return -1
  end
  if f[1] ~= 'a' or f[2] ~= token then
    return -2
  end
  return nil
end

-- Completes the active jobs whose lock the caller still holds: `args[first..last]` are (id, token, result ('' =
-- none)) triples; `m` is readMeta(). Returns one code per job, in order: 0 completed, 1 already completed with this
-- very token (a retried call whose first reply was lost in a failover: done, and counted once), -1 JOB_NOT_FOUND,
-- -2 LOCK_LOST. A job whose lock was lost is left exactly as it is; the others complete.
local function completeJobs(args, first, last, now, m)
  local codes = {}
  local done = {}
  local ids = {}
  for i = first, last, 3 do
    local id, token, result = args[i], args[i + 1], args[i + 2]
    local jk = jobKey(id)
    local f = redis.call('HMGET', jk, 's', 'lk', 'rc', 'lg')
    if f[1] == 'a' and f[2] == token then
      local j = finishing(id, f[3], f[4])
      if result ~= '' then
        j[#j + 1] = 'r'
        j[#j + 1] = result
      end
      done[#done + 1] = j
      ids[#ids + 1] = id
      codes[#codes + 1] = 0
    elseif f[1] == 'c' and f[2] == token then
      codes[#codes + 1] = 1
    elseif not f[1] and redis.call('EXISTS', jk) == 0 then
      codes[#codes + 1] = -1
    else
      codes[#codes + 1] = -2
    end
  end
  if #ids > 0 then
    redis.call('ZREM', stateKey('a'), unpack(ids))
    finishMany(done, now, 'c', m)
    redis.call('HINCRBY', totalsKey(), 'completed', #ids)
    for _, id in ipairs(ids) do
      emit('completed', id)
    end
  end
  return codes
end
