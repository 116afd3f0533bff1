package com.advwell.jobs.control;

import com.advwell.platform.redis.RedisKeys;
import com.advwell.platform.redis.RedisScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.KeyValue;

/**
 * One queue's operations on Redis, without the container: every state change is one Lua script (so it is atomic
 * and replicas never race), time comes from Redis. Producers, consumers, the API and the tests all go through it.
 */
public final class RedisJobQueue {

    private static final RedisScript ADD = RedisScript.load("addJobs-1.lua");
    private static final RedisScript FETCH = RedisScript.load("fetchJobs-1.lua");
    private static final RedisScript COMPLETE_MANY = RedisScript.load("completeJobs-1.lua");
    private static final RedisScript FAIL = RedisScript.load("failJob-1.lua");
    private static final RedisScript EXTEND = RedisScript.load("extendLocks-1.lua");
    private static final RedisScript RECOVER = RedisScript.load("recoverStalled-1.lua");
    private static final RedisScript RELEASE = RedisScript.load("releaseJobs-1.lua");
    private static final RedisScript REPORT = RedisScript.load("reportProgress-1.lua");
    private static final RedisScript CANCEL = RedisScript.load("cancelJob-1.lua");
    private static final RedisScript PROMOTE = RedisScript.load("promoteJob-1.lua");
    private static final RedisScript RETRY = RedisScript.load("retryJobs-1.lua");
    private static final RedisScript CLEAN = RedisScript.load("cleanJobs-1.lua");
    private static final RedisScript COUNTS = RedisScript.load("queueCounts-1.lua");
    private static final RedisScript LIST = RedisScript.load("listJobs-1.lua");
    private static final int FETCH_FIELDS = 9;
    static final int MAX_LOG_LINES = 100;

    /**
     * The outcome of an add: the job's id (as its producer gave it, without the tenant), and whether it is new or the
     * same tenant (or the system) already had a job with that id.
     */
    public record Added(String id, boolean created) {}

    /** One page of a listing; {@code nextCursor} 0 = the end. */
    public record Page(List<JobView> jobs, long nextCursor) {}

    private final UnifiedJedis redis;
    private final RedisKeys.Queue keys;
    private final List<String> base;

    public RedisJobQueue(UnifiedJedis redis, RedisKeys.Queue keys) {
        this.redis = redis;
        this.keys = keys;
        this.base = List.of(keys.base());
    }

    public String name() {
        return keys.name();
    }

    public RedisKeys.Queue keys() {
        return keys;
    }

    // ---- producing

    /** Adds jobs without waiting for a replica (tests, benchmarks, single-node setups). */
    public List<Added> add(List<JobSpec> specs) {
        return added(ADD.eval(redis, base, addArgs(specs)));
    }

    /**
     * Adds jobs and acknowledges them only once {@code replicas} Redis replicas have them, so that a failover cannot
     * erase an acknowledged job. Throws {@link NotDurableException} when fewer confirmed within the timeout.
     */
    public List<Added> add(List<JobSpec> specs, int replicas, Duration waitTimeout) {
        if (replicas <= 0) {
            return add(specs);
        }
        RedisScript.Acknowledged ack = ADD.evalAndWait(redis, base, addArgs(specs), replicas, waitTimeout.toMillis());
        if (ack.replicas() < replicas) {
            throw new NotDurableException("only " + ack.replicas() + " of " + replicas
                    + " Redis replicas confirmed the write within " + waitTimeout.toMillis() + " ms");
        }
        return added(ack.reply());
    }

    private static List<String> addArgs(List<JobSpec> specs) {
        List<String> args = new ArrayList<>(1 + specs.size() * 10);
        args.add(Integer.toString(specs.size()));
        for (JobSpec s : specs) {
            args.add(s.id() == null ? "" : s.id());
            args.add(s.type());
            args.add(s.payload());
            args.add(Integer.toString(s.priority()));
            args.add(Long.toString(s.delay().toMillis()));
            args.add(Integer.toString(s.attempts()));
            args.add(s.backoff().equals(Backoff.DEFAULT) ? "" : s.backoff().encode());
            args.add(s.timeout() == null ? "" : Long.toString(s.timeout().toMillis()));
            args.add(s.tenant() == null ? "" : s.tenant());
            args.add(
                    s.keepCompleted() == null
                            ? ""
                            : s.keepCompleted().toMillis() + ","
                                    + s.keepFailed().toMillis());
        }
        return args;
    }

    private static List<Added> added(Object reply) {
        List<?> r = (List<?>) reply;
        List<Added> out = new ArrayList<>(r.size() / 2);
        for (int i = 0; i < r.size(); i += 2) {
            out.add(new Added((String) r.get(i), ((Long) r.get(i + 1)) == 1L));
        }
        return out;
    }

    // ---- consuming

    public FetchResult fetch(String token, int max, Duration lock, String worker) {
        return fetch(token, max, 0, lock, worker);
    }

    /**
     * Takes up to {@code max} jobs, plus up to {@code prefetch} more for the caller's local buffer unless the queue
     * has an active or rate limit (then none: a buffered job would hold a cluster-wide slot or token while it waits).
     */
    public FetchResult fetch(String token, int max, int prefetch, Duration lock, String worker) {
        return fetchResult(
                (List<?>) FETCH.eval(
                        redis,
                        base,
                        List.of(
                                token,
                                Integer.toString(max),
                                Long.toString(lock.toMillis()),
                                worker,
                                Integer.toString(prefetch))),
                0,
                token);
    }

    /**
     * The outcome of {@link #complete}: whether the job was completed by this call ({@code lost} names the reason it
     * was not: the lock had passed to another consumer, or the job is gone) and the caller's next jobs.
     */
    public record Completion(QueueError lost, FetchResult next) {
        public boolean completed() {
            return lost == null;
        }
    }

    /**
     * Completes a job the caller holds and, when {@code fetchNext > 0}, fetches the caller's next jobs (locked with
     * {@code nextToken}) in the same round trip.
     */
    public Completion complete(
            FetchedJob job, String result, int fetchNext, String nextToken, Duration lock, String worker) {
        Completions c = completeAll(List.of(new Finished(job, result)), fetchNext, nextToken, lock, worker);
        return new Completion(c.lost().get(0), c.next());
    }

    /** A job to complete with its result (JSON text, or null). */
    public record Finished(FetchedJob job, String result) {}

    /**
     * The outcome of {@link #completeAll}: per job, in order, null when it was completed (by this call, or by an
     * earlier call with the same lock token whose reply was lost) or the reason it was not; and the jobs fetched next.
     */
    public record Completions(List<QueueError> lost, FetchResult next) {}

    /**
     * Completes several jobs the caller holds and fetches up to {@code fetchNext} next jobs (locked with
     * {@code nextToken}), in one script call: each job is completed only if its own lock is still held, so a lost
     * lock in the middle of a batch leaves that job alone and completes the others.
     */
    public Completions completeAll(
            List<Finished> finished, int fetchNext, String nextToken, Duration lock, String worker) {
        return completeAll(finished, fetchNext, 0, nextToken, lock, worker);
    }

    /** As {@link #completeAll(List, int, String, Duration, String)}, fetching up to {@code prefetch} more jobs too. */
    public Completions completeAll(
            List<Finished> finished, int fetchNext, int prefetch, String nextToken, Duration lock, String worker) {
        List<String> args = new ArrayList<>(5 + finished.size() * 3);
        args.add(Integer.toString(finished.size()));
        for (Finished f : finished) {
            args.add(f.job().id());
            args.add(f.job().token());
            args.add(f.result() == null ? "" : f.result());
        }
        args.add(Integer.toString(fetchNext));
        args.add(nextToken == null ? "" : nextToken);
        args.add(Long.toString(lock.toMillis()));
        args.add(worker);
        args.add(Integer.toString(prefetch));
        List<?> r = (List<?>) COMPLETE_MANY.eval(redis, base, args);
        List<QueueError> lost = new ArrayList<>(finished.size());
        for (int i = 0; i < finished.size(); i++) {
            lost.add(lostReason((Long) r.get(i), finished.get(i).job().id()));
        }
        FetchResult next = fetchNext + prefetch > 0 ? fetchResult(r, finished.size(), nextToken) : FetchResult.NONE;
        return new Completions(lost, next);
    }

    private QueueError lostReason(long code, String id) {
        if (code >= 0) {
            return null;
        }
        try {
            QueueError.check(code, name(), id);
            return null;
        } catch (QueueException e) {
            return e.error();
        }
    }

    /** Records a failed attempt: retried after {@code retryDelay}, or failed for good when it is null. */
    public boolean fail(FetchedJob job, String error, String stack, Duration retryDelay) {
        long r = (Long) FAIL.eval(
                redis,
                base,
                List.of(
                        job.id(),
                        job.token(),
                        error,
                        stack == null ? "" : stack,
                        retryDelay == null ? "-1" : Long.toString(retryDelay.toMillis())));
        return QueueError.check(r, name(), job.id()) == 1;
    }

    /** Extends the locks of running jobs; returns the ids whose lock the caller lost. */
    public List<String> extendLocks(List<FetchedJob> jobs, Duration lock) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(1 + jobs.size() * 2);
        args.add(Long.toString(lock.toMillis()));
        for (FetchedJob j : jobs) {
            args.add(j.id());
            args.add(j.token());
        }
        return strings(EXTEND.eval(redis, base, args));
    }

    /** Puts jobs whose lock ran out back to waiting (or fails them after too many stalls): {back, failed}. */
    public long[] recoverStalled(int max) {
        List<?> r = (List<?>) RECOVER.eval(redis, base, List.of(Integer.toString(max)));
        return new long[] {(Long) r.get(0), (Long) r.get(1)};
    }

    /** Hands running jobs back to waiting at once (graceful shutdown); returns how many. */
    public long release(List<FetchedJob> jobs) {
        if (jobs.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(jobs.size() * 2);
        for (FetchedJob j : jobs) {
            args.add(j.id());
            args.add(j.token());
        }
        return (Long) RELEASE.eval(redis, base, args);
    }

    public void progress(FetchedJob job, int percent) {
        QueueError.check(
                (Long) REPORT.eval(
                        redis,
                        base,
                        List.of(
                                job.id(),
                                job.token(),
                                "progress",
                                Integer.toString(percent),
                                Integer.toString(MAX_LOG_LINES))),
                name(),
                job.id());
    }

    public void log(FetchedJob job, String line) {
        QueueError.check(
                (Long) REPORT.eval(
                        redis, base, List.of(job.id(), job.token(), "log", line, Integer.toString(MAX_LOG_LINES))),
                name(),
                job.id());
    }

    /** Waits up to {@code timeout} for the wake-up signal of new jobs; true when one came. */
    public boolean awaitSignal(UnifiedJedis blockingClient, Duration timeout) {
        KeyValue<String, String> kv = blockingClient.blpop(Math.max(0.01, timeout.toMillis() / 1000.0), keys.signal());
        return kv != null;
    }

    // ---- administration: a job is addressed by its tenant (null = a system job) and its id

    /** Cancels a system job; see {@link #cancel(String, String)}. */
    public void cancel(String id) {
        cancel(null, id);
    }

    /** Removes a waiting or delayed job of {@code tenant} (null = a system job). */
    public void cancel(String tenant, String id) {
        QueueError.check((Long) CANCEL.eval(redis, base, List.of(JobRef.of(tenant, id))), name(), id);
    }

    /** Promotes a system job; see {@link #promote(String, String)}. */
    public void promote(String id) {
        promote(null, id);
    }

    /** Makes a delayed job of {@code tenant} (null = a system job) waiting now. */
    public void promote(String tenant, String id) {
        QueueError.check((Long) PROMOTE.eval(redis, base, List.of(JobRef.of(tenant, id))), name(), id);
    }

    /** Retries a failed system job; see {@link #retry(String, String)}. */
    public void retry(String id) {
        retry(null, id);
    }

    /** Puts a failed job of {@code tenant} (null = a system job) back to waiting with fresh attempts. */
    public void retry(String tenant, String id) {
        QueueError.check((Long) RETRY.eval(redis, base, List.of(JobRef.of(tenant, id), "1")), name(), id);
    }

    /** Retries up to {@code max} failed jobs, oldest first; returns how many. */
    public long retryFailed(int max) {
        return (Long) RETRY.eval(redis, base, List.of("", Integer.toString(max)));
    }

    /** Deletes completed or failed jobs finished more than {@code age} ago, at most {@code max}; returns how many. */
    public long clean(JobState state, Duration age, int max) {
        if (state != JobState.COMPLETED && state != JobState.FAILED) {
            throw new InvalidJobException("state", "only completed or failed jobs are cleaned");
        }
        return (Long) CLEAN.eval(
                redis,
                base,
                List.of(state == JobState.COMPLETED ? "c" : "f", Long.toString(age.toMillis()), Integer.toString(max)));
    }

    public void pause() {
        redis.hset(keys.meta(), "paused", "1");
    }

    public void resume() {
        redis.hdel(keys.meta(), "paused");
        redis.rpush(keys.signal(), "1");
        redis.ltrim(keys.signal(), 0, 0);
    }

    public QueueCounts counts() {
        List<?> r = (List<?>) COUNTS.eval(redis, base, List.of());
        long[] v = new long[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (Long) r.get(i);
        }
        return new QueueCounts(v[0], v[1], v[2], v[3], v[4], v[5] == 1, v[6], v[7], v[8], v[9], v[10]);
    }

    /** Stores the queue's cluster-wide limits; every replica applies them from its next fetch on. */
    public void configure(QueueLimits limits) {
        String meta = keys.meta();
        setOrClear(meta, "ma", limits.maxActive());
        setOrClear(meta, "rm", limits.rateMax());
        redis.hset(
                meta,
                Map.of(
                        "rw",
                        Long.toString(limits.rateWindow().toMillis()),
                        "kc",
                        Integer.toString(limits.keepCompleted()),
                        "kca",
                        Long.toString(limits.keepCompletedFor().toMillis()),
                        "kf",
                        Integer.toString(limits.keepFailed()),
                        "kfa",
                        Long.toString(limits.keepFailedFor().toMillis()),
                        "ms",
                        Integer.toString(limits.maxStalls())));
    }

    private void setOrClear(String meta, String field, int value) {
        if (value > 0) {
            redis.hset(meta, field, Integer.toString(value));
        } else {
            redis.hdel(meta, field);
        }
    }

    public QueueLimits limits() {
        Map<String, String> m = redis.hgetAll(keys.meta());
        QueueLimits d = QueueLimits.DEFAULT;
        return new QueueLimits(
                intOr(m.get("ma"), 0),
                intOr(m.get("rm"), 0),
                Duration.ofMillis(longOr(m.get("rw"), d.rateWindow().toMillis())),
                intOr(m.get("kc"), d.keepCompleted()),
                Duration.ofMillis(longOr(m.get("kca"), d.keepCompletedFor().toMillis())),
                intOr(m.get("kf"), d.keepFailed()),
                Duration.ofMillis(longOr(m.get("kfa"), d.keepFailedFor().toMillis())),
                intOr(m.get("ms"), d.maxStalls()));
    }

    /** A system job; see {@link #job(String, String)}. */
    public JobView job(String id) {
        return job(null, id);
    }

    /**
     * One job of {@code tenant} (null = a system job) with its logs, or null when that tenant has no such job (never
     * added, cancelled, or removed by retention).
     */
    public JobView job(String tenant, String id) {
        List<JobView> found = jobs(List.of(JobRef.of(tenant, id)));
        return found.isEmpty() ? null : found.get(0);
    }

    /** The jobs that still exist among {@code refs} ({@link JobRef}), in that order, read in one round trip. */
    List<JobView> jobs(List<String> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        List<Response<Map<String, String>>> hashes = new ArrayList<>(refs.size());
        List<Response<List<String>>> logs = new ArrayList<>(refs.size());
        try (AbstractPipeline p = redis.pipelined()) {
            for (String ref : refs) {
                hashes.add(p.hgetAll(keys.job(ref)));
                logs.add(p.lrange(keys.logs(ref), 0, -1));
            }
            p.sync();
        }
        List<JobView> out = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            Map<String, String> h = hashes.get(i).get();
            if (!h.isEmpty()) {
                out.add(view(JobRef.idOf(refs.get(i)), h, logs.get(i).get()));
            }
        }
        return out;
    }

    /** A page of the jobs in one state; {@code tenant} null = all tenants (each view names its tenant). */
    public Page list(JobState state, long cursor, int limit, String tenant) {
        List<String> r = strings(LIST.eval(
                redis,
                base,
                List.of(
                        state.label(),
                        Long.toString(cursor),
                        Integer.toString(limit),
                        tenant == null ? "" : tenant,
                        "5000")));
        return new Page(jobs(r.subList(1, r.size())), Long.parseLong(r.get(0)));
    }

    private JobView view(String id, Map<String, String> h, List<String> logs) {
        return new JobView(
                name(),
                id,
                h.get("t"),
                h.get("d"),
                JobState.ofCode(h.get("s")),
                intOr(h.get("p"), JobSpec.DEFAULT_PRIORITY),
                intOr(h.get("ac"), 0),
                intOr(h.get("at"), 1),
                intOr(h.get("sc"), 0),
                h.get("pg"),
                logs,
                h.get("r"),
                h.get("e"),
                h.get("es"),
                h.get("tn"),
                h.get("w"),
                longOr(h.get("ts"), 0),
                longOr(h.get("st"), 0),
                longOr(h.get("fin"), 0),
                longOr(h.get("rt"), 0));
    }

    private FetchResult fetchResult(List<?> r, int offset, String token) {
        long status = (Long) r.get(offset);
        long hint = (Long) r.get(offset + 1);
        long now = (Long) r.get(offset + 2);
        FetchResult.Status s = FetchResult.Status.values()[(int) status];
        if (r.size() <= offset + 3) {
            return new FetchResult(s, hint, now, List.of());
        }
        List<FetchedJob> jobs = new ArrayList<>((r.size() - offset - 3) / (FETCH_FIELDS + 1));
        for (int i = offset + 3; i < r.size(); i += FETCH_FIELDS + 1) {
            jobs.add(new FetchedJob(
                    name(),
                    (String) r.get(i),
                    (String) r.get(i + 1),
                    (String) r.get(i + 2),
                    intOr((String) r.get(i + 3), 1),
                    intOr((String) r.get(i + 4), 1),
                    Backoff.decode((String) r.get(i + 5)),
                    longOr((String) r.get(i + 6), 0),
                    longOr((String) r.get(i + 7), 0),
                    emptyToNull((String) r.get(i + 8)),
                    intOr((String) r.get(i + 9), JobSpec.DEFAULT_PRIORITY),
                    token));
        }
        return new FetchResult(s, hint, now, jobs);
    }

    private static List<String> strings(Object reply) {
        List<?> r = (List<?>) reply;
        List<String> out = new ArrayList<>(r.size());
        for (Object o : r) {
            out.add(o instanceof Long l ? Long.toString(l) : (String) o);
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static int intOr(String s, int fallback) {
        return s == null || s.isEmpty() ? fallback : Integer.parseInt(s);
    }

    private static long longOr(String s, long fallback) {
        return s == null || s.isEmpty() ? fallback : Long.parseLong(s);
    }
}
