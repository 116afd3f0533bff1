-- Shared by every queue script (inlined by RedisScript at "-- @include"). KEYS[1] is the queue's key prefix,
-- "<prefix>:q:{<queue>}:"; every other key of the queue is that prefix plus a suffix (see QueueKeys.java):
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
--   j:<id>  job hash; l:<id> job log list
-- Job hash fields: t type, d payload, ts created ms, p priority (absent = 4), tn tenant, at max attempts,
--   bo backoff, to timeout ms, rc/rf retention ms after completion/failure, ac attempts made, sc stalls,
--   s state (absent = waiting; d delayed, a active, c completed, f failed), lk lock token, w worker,
--   st started ms, fin finished ms, r result, e error, es stack trace, pg progress, rt run-at ms.
local P = KEYS[1]

local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function jobKey(id)
  return P .. 'j:' .. id
end

local function meta(field, default)
  local v = redis.call('HGET', P .. 'm', field)
  if v then
    return tonumber(v)
  end
  return default
end

-- Wakes one idle consumer; the list never holds more than one element, so this costs nothing under load.
local function signal()
  if redis.call('LLEN', P .. 'sig') == 0 then
    redis.call('RPUSH', P .. 'sig', '1')
  end
end

local function emit(event, id, extra)
  if extra then
    redis.call('XADD', P .. 'ev', 'MAXLEN', '~', 10000, '*', 'e', event, 'j', id, 'x', extra)
  else
    redis.call('XADD', P .. 'ev', 'MAXLEN', '~', 10000, '*', 'e', event, 'j', id)
  end
end

local function toWaiting(id, front)
  local jk = jobKey(id)
  local p = redis.call('HGET', jk, 'p') or '4'
  redis.call('HDEL', jk, 's', 'lk', 'w', 'rt')
  if front then
    redis.call('LPUSH', P .. 'w' .. p, id)
  else
    redis.call('RPUSH', P .. 'w' .. p, id)
  end
end

local function deleteJob(id)
  redis.call('DEL', jobKey(id), P .. 'l:' .. id)
end

-- Keeps at most `keep` members of a finished set (oldest dropped first); keep 0 means none are kept.
local function trimFinished(set, keep)
  local excess = redis.call('ZCARD', set) - keep
  if excess > 0 then
    local old = redis.call('ZPOPMIN', set, excess)
    for i = 1, #old, 2 do
      deleteJob(old[i])
    end
  end
end

-- Moves a job that left 'active' into completed or failed, applying the queue's (and the job's) retention.
local function finish(id, now, state, countField, ageField, countDefault, ageDefault, jobAgeField)
  local jk = jobKey(id)
  local keep = meta(countField, countDefault)
  if keep <= 0 then
    deleteJob(id)
    return
  end
  local age = meta(ageField, ageDefault)
  local own = redis.call('HGET', jk, jobAgeField)
  if own and tonumber(own) < age then
    age = tonumber(own)
  end
  local set = P .. state
  redis.call('HSET', jk, 's', state, 'fin', now)
  redis.call('HDEL', jk, 'lk')
  redis.call('PEXPIRE', jk, age)
  redis.call('PEXPIRE', P .. 'l:' .. id, age)
  redis.call('ZADD', set, now, id)
  trimFinished(set, keep)
end

local function failForGood(id, now, err, stack)
  local jk = jobKey(id)
  redis.call('HSET', jk, 'e', err)
  if stack and stack ~= '' then
    redis.call('HSET', jk, 'es', stack)
  end
  finish(id, now, 'f', 'kf', 'kfa', 10000, 604800000, 'rf')
  redis.call('HINCRBY', P .. 'n', 'failed', 1)
  emit('failed', id, err)
end

-- Moves due delayed jobs to waiting (at most `limit`); returns how many.
local function promoteDue(now, limit)
  local due = redis.call('ZRANGEBYSCORE', P .. 'd', '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', P .. 'd', id)
    toWaiting(id, false)
  end
  return #due
end

local FETCH_FIELDS = {'t', 'd', 'ac', 'at', 'bo', 'to', 'ts', 'tn', 'p'}

-- Takes up to `max` waiting jobs, highest priority first, honouring pause, the queue-wide active limit and the
-- rate limit. Returns {status, hint, now, id1, fields1..., id2, ...}: status 0 = ok (possibly no jobs; hint = ms
-- until the next delayed job is due or -1), 1 = paused, 2 = active limit reached, 3 = rate limited (hint = ms left);
-- now = Redis time in ms (the consumer measures waiting time with it, not with its own clock).
local function fetchJobs(token, max, lockMs, worker, now)
  promoteDue(now, 1000)
  local m = redis.call('HMGET', P .. 'm', 'paused', 'ma', 'rm', 'rw')
  if m[1] == '1' then
    return {1, -1, now}
  end
  if m[2] then
    local room = tonumber(m[2]) - redis.call('ZCARD', P .. 'a')
    if room <= 0 then
      return {2, 50, now}
    end
    if room < max then
      max = room
    end
  end
  if m[3] then
    local used = tonumber(redis.call('GET', P .. 'rl') or '0')
    local room = tonumber(m[3]) - used
    if room <= 0 then
      local left = redis.call('PTTL', P .. 'rl')
      if left < 0 then
        redis.call('DEL', P .. 'rl')
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
  for p = 9, 0, -1 do
    if taken >= max then
      break
    end
    local ids = redis.call('LPOP', P .. 'w' .. p, max - taken)
    if ids then
      for _, id in ipairs(ids) do
        local jk = jobKey(id)
        redis.call('HSET', jk, 's', 'a', 'lk', token, 'w', worker, 'st', now)
        redis.call('HINCRBY', jk, 'ac', 1)
        redis.call('ZADD', P .. 'a', deadline, id)
        out[#out + 1] = id
        local f = redis.call('HMGET', jk, unpack(FETCH_FIELDS))
        for i = 1, #FETCH_FIELDS do
          out[#out + 1] = f[i] or ''
        end
        taken = taken + 1
      end
    end
  end
  if taken > 0 and m[3] then
    if redis.call('INCRBY', P .. 'rl', taken) == taken then
      redis.call('PEXPIRE', P .. 'rl', m[4])
    end
  end
  if taken == max then
    -- more may be waiting: pass the wake-up on to another idle consumer
    for p = 9, 0, -1 do
      if redis.call('LLEN', P .. 'w' .. p) > 0 then
        signal()
        break
      end
    end
  elseif taken == 0 then
    local next = redis.call('ZRANGE', P .. 'd', 0, 0, 'WITHSCORES')
    if next[2] then
      out[2] = math.max(1, tonumber(next[2]) - now)
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
