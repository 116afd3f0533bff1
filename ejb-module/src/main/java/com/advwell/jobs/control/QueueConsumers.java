package com.advwell.jobs.control;

import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import com.advwell.platform.redis.RedisClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import redis.clients.jedis.UnifiedJedis;

/**
 * Starts one {@link QueueWorker} and one {@link StalledJobSweeper} per declared queue on this replica (unless
 * {@code QUEUE_CONSUMERS_ENABLED=false}), on the container's managed executors, and stops them gracefully: on SIGTERM
 * a JVM shutdown hook stops fetching at once, lets running jobs finish for up to {@code SHUTDOWN_GRACE_MS} and hands
 * the rest back to waiting, before the container starts undeploying.
 */
@ApplicationScoped
public class QueueConsumers {

    private static final Logger LOG = Logger.getLogger(QueueConsumers.class.getName());
    private static final String JOBS_EXECUTOR = "concurrent/advwell-jobs";

    @Inject
    JobQueues queues;

    @Inject
    Redis redis;

    @Inject
    Replica replica;

    @Inject
    JobTransactions transactions;

    @Inject
    QueueMetrics metrics;

    @Resource
    ManagedExecutorService defaultExecutor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedThreadFactory threads;

    /**
     * The workers' own periodic checks (timeouts every 50 ms per queue, lock renewal, stall sweeps) on two threads
     * made by the container's thread factory: they need no container context, and the managed scheduler set one up
     * and tore it down around every run, 3.4 % of a replica's CPU while it delivered webhooks (issue 12).
     */
    private ScheduledExecutorService watchers;

    private final List<QueueWorker> workers = new CopyOnWriteArrayList<>();
    /** The stall sweep of each worker's queue; it ends when that worker's stop begins. */
    private final Map<QueueWorker, ScheduledFuture<?>> sweeps = new ConcurrentHashMap<>();

    private final Jsonb jsonb = JsonbBuilder.create();
    private UnifiedJedis blocking;
    private UnifiedJedis client;
    private Thread stopOnSignal;
    private volatile boolean stopped;
    private volatile String startFailure;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager: consumers start with the application
    }

    @PostConstruct
    void start() {
        attemptStart(1);
    }

    /**
     * Applies the declared limits and starts the workers. Both need Redis: when it fails (a boot on a loaded node can
     * outlast the Redis timeout, or Sentinel has no master yet), the replica does not fail its deployment, which
     * would leave a live container serving nothing until the orchestrator's health start period ran out. It logs
     * the cause, reports the queue-consumers health check DOWN, and tries again with a growing delay (at most 30 s).
     */
    private synchronized void attemptStart(int attempt) {
        if (stopped) {
            return;
        }
        try {
            startWorkers();
            startFailure = null;
        } catch (RuntimeException e) {
            stopWorkers(Duration.ZERO);
            closeClients();
            startFailure = e.toString();
            Duration delay = Duration.ofSeconds(Math.min(30, 1L << Math.min(attempt, 5)));
            LOG.log(
                    Level.WARNING,
                    e,
                    () -> "queue consumers not started (attempt " + attempt + "); next attempt in " + delay.toSeconds()
                            + " s");
            scheduler.schedule(() -> attemptStart(attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void startWorkers() {
        queues.applyDeclaredLimits();
        QueueSettings s = queues.settings();
        if (!s.consumersEnabled()) {
            LOG.info("queue consumers disabled on this replica (QUEUE_CONSUMERS_ENABLED=false)");
            return;
        }
        Executor executor = jobsExecutor();
        if (watchers == null) {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, threads);
            pool.setRemoveOnCancelPolicy(true);
            watchers = pool;
        }
        // blocking waits are at most 1 s; a master that vanished behind a partition must not hang the loop forever
        blocking = RedisClients.createForBlocking(
                redis.settings(),
                "advwell-queue:" + replica.instanceId(),
                redis.settings().timeoutMillis() + 1000);
        // the consumers' own client: on SIGTERM the container may close the shared one while running jobs are
        // still to be handed back
        client = RedisClients.create(redis.settings(), "advwell-consumer:" + replica.instanceId());
        for (String name : queues.names()) {
            QueueDefinition d = queues.definition(name);
            int concurrency = s.concurrency(name, d.declaration().concurrency());
            if (concurrency == 0) {
                LOG.info(() -> "queue " + name + ": no consumer on this replica (concurrency 0)");
                continue;
            }
            WorkerOptions options = new WorkerOptions(
                    replica.instanceId(),
                    concurrency,
                    s.lock(),
                    s.defaultTimeout(),
                    s.prefetchMax(),
                    s.completionRetry());
            RedisJobQueue queue = new RedisJobQueue(client, queues.queue(name).keys());
            QueueWorker w =
                    new QueueWorker(queue, blocking, options, handler(d), executor, watchers, metrics.listener(name));
            w.start();
            workers.add(w);
            sweeps.put(w, new StalledJobSweeper(queue, metrics.stallListener(name)).start(watchers, s.stallCheck()));
            LOG.info(() -> "queue " + name + ": consuming with concurrency " + concurrency);
        }
        stopOnSignal = new Thread(() -> stopAll(s.shutdownGrace()), "advwell-queue-stop-on-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
    }

    /** Why the consumers are not running yet (they are being started again), or null. */
    public String startFailure() {
        return startFailure;
    }

    private Executor jobsExecutor() {
        try {
            return (Executor) new InitialContext().lookup(JOBS_EXECUTOR);
        } catch (NamingException | ClassCastException e) {
            LOG.warning(() -> JOBS_EXECUTOR + " is not defined (see docker/payara/post-boot-commands.asadmin); "
                    + "handlers run on the default managed executor, whose pool may be smaller than the consumers'"
                    + " concurrency");
            return defaultExecutor;
        }
    }

    private QueueWorker.Handler handler(QueueDefinition d) {
        Method method = d.method();
        boolean transactional = d.declaration().transactional();
        // resolved once: a lookup per job costs time on the hot path, and for a @Dependent bean would create (and
        // never destroy) an instance per job
        Object bean = CDI.current().select(method.getDeclaringClass()).get();
        return job -> {
            Object result = transactional
                    ? transactions.runOnce(job, () -> invoke(method, bean, job))
                    : invoke(method, bean, job);
            if (result == JobTransactions.ALREADY_DONE) {
                return "{\"alreadyDone\":true}";
            }
            return toJson(result);
        };
    }

    private static Object invoke(Method method, Object bean, Job job) throws Exception {
        try {
            return method.invoke(bean, job);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private String toJson(Object result) {
        if (result == null) {
            return null;
        }
        if (result instanceof JsonValue v) {
            return v.toString();
        }
        return jsonb.toJson(result);
    }

    /**
     * Stops every consumer within the grace period; the jobs still running are handed back. A second caller (the
     * container's {@code @PreDestroy} while the shutdown hook is at work) waits until the first has finished, so
     * the clients are never closed under a hand-back.
     */
    synchronized void stopAll(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        long start = System.nanoTime();
        long total = stopWorkers(grace);
        LOG.info(() -> "queue consumers stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms; " + total
                + " unfinished jobs handed back");
    }

    /** Stops every worker within the grace period; answers how many jobs were handed back. */
    private long stopWorkers(Duration grace) {
        long start = System.nanoTime();
        workers.forEach(QueueWorker::stopFetching);
        long handedBack = 0;
        for (QueueWorker w : workers) {
            ScheduledFuture<?> sweep = sweeps.remove(w);
            if (sweep != null) {
                sweep.cancel(false);
            }
            Duration left = grace.minusNanos(System.nanoTime() - start);
            handedBack += w.stop(left.isNegative() ? Duration.ZERO : left);
        }
        workers.clear();
        return handedBack;
    }

    private void closeClients() {
        if (blocking != null) {
            blocking.close();
            blocking = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @PreDestroy
    void close() {
        stopAll(queues.settings().shutdownGrace());
        if (stopOnSignal != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException e) {
                LOG.log(Level.FINE, "JVM already shutting down", e);
            }
        }
        closeClients();
        if (watchers != null) {
            watchers.shutdownNow();
        }
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing JSON-B", e);
        }
    }

    public List<QueueWorker> workers() {
        return List.copyOf(workers);
    }
}
