package com.advwell.jobs.control;

import com.advwell.platform.config.Settings;
import com.advwell.platform.redis.Redis;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The producer API and the registry of this deployment's queues: {@code @Inject JobQueues queues;
 * queues.add("invoices", JobSpec.of("render", json))}. An add is validated (known queue, then {@link JobChecks}),
 * written in one script and acknowledged only after {@code REDIS_MIN_REPLICA_ACKS} Redis replicas have it.
 */
@ApplicationScoped
public class JobQueues {

    private static final Logger LOG = Logger.getLogger(JobQueues.class.getName());
    public static final int MAX_BULK = 1000;

    @Inject
    Redis redis;

    @Inject
    QueueConsumerExtension extension;

    private QueueSettings settings;
    private Map<String, QueueDefinition> definitions;
    private Map<String, RedisJobQueue> queues;
    private Map<String, BatchingProducer> producers;
    private JobChecks checks;

    @Resource
    ManagedExecutorService writer;

    @PostConstruct
    void init() {
        settings = QueueSettings.from(Settings.fromMicroProfileConfig());
        checks = new JobChecks(settings.maxPayloadBytes());
        Map<String, Method> validators = new HashMap<>();
        for (Method v : extension.validators()) {
            Method previous =
                    validators.put(v.getAnnotation(PayloadValidator.class).queue(), v);
            if (previous != null) {
                throw new IllegalStateException("two payload validators for queue "
                        + v.getAnnotation(PayloadValidator.class).queue() + ": " + previous + " and " + v);
            }
        }
        Map<String, QueueDefinition> defs = new TreeMap<>();
        Map<String, RedisJobQueue> qs = new TreeMap<>();
        for (Method m : extension.methods()) {
            QueueConsumer c = m.getAnnotation(QueueConsumer.class);
            Method validator = validators.remove(c.queue());
            // resolved once: a lookup per add would cost time on the add path
            Object bean = validator == null
                    ? null
                    : CDI.current().select(validator.getDeclaringClass()).get();
            QueueDefinition previous = defs.put(c.queue(), QueueDefinition.of(m, validator, bean));
            if (previous != null) {
                throw new IllegalStateException(
                        "two consumers declare queue " + c.queue() + ": " + previous.method() + " and " + m);
            }
            qs.put(c.queue(), new RedisJobQueue(redis.client(), redis.keys().queue(c.queue())));
        }
        if (!validators.isEmpty()) {
            throw new IllegalStateException("payload validators for queues no consumer declares: " + validators);
        }
        definitions = Collections.unmodifiableMap(defs);
        queues = Collections.unmodifiableMap(qs);
        Map<String, BatchingProducer> ps = new TreeMap<>();
        // single adds write on the adding thread (BatchingProducer.add); the executor would only run addAsync's writes,
        // which this class never makes, and is never the jobs executor whose threads may be the ones adding
        qs.forEach((name, q) ->
                ps.put(name, new BatchingProducer(q, writer, settings.minReplicaAcks(), settings.waitTimeout())));
        producers = Collections.unmodifiableMap(ps);
        LOG.info(() -> "queues: " + definitions.keySet() + "; adds wait for " + settings.minReplicaAcks()
                + " Redis replica(s)");
    }

    public QueueSettings settings() {
        return settings;
    }

    public Set<String> names() {
        return definitions.keySet();
    }

    public QueueDefinition definition(String queue) {
        QueueDefinition d = definitions.get(queue);
        if (d == null) {
            throw new UnknownQueueException(queue);
        }
        return d;
    }

    public RedisJobQueue queue(String name) {
        RedisJobQueue q = queues.get(name);
        if (q == null) {
            throw new UnknownQueueException(name);
        }
        return q;
    }

    /**
     * The checks every add runs, for a producer that stores what it will add later (a schedule), so that what the
     * queue would refuse is refused when it is stored, by the same code.
     */
    public JobChecks checks() {
        return checks;
    }

    /**
     * Adds one job; see {@link #addBulk}. Concurrent single adds to one queue share a write (and its {@code WAIT}):
     * each is still acknowledged only after its own job is written and confirmed.
     */
    public RedisJobQueue.Added add(String queue, JobSpec spec) {
        checks.check(definition(queue), spec);
        return producers.get(queue).add(spec);
    }

    /**
     * Adds jobs atomically (all or none), each made by {@code toSpec} from what the caller sent. Throws, in this
     * order, {@link UnknownQueueException}; an {@link InvalidJobException} for no jobs or more than
     * {@link #MAX_BULK}; what {@code toSpec} and {@link JobChecks} refuse about the first job at fault, its fields
     * named {@code jobs[i].field}; or {@link NotDurableException} when the Redis replicas did not confirm in time
     * (adding again with the same ids is safe).
     */
    public <T> List<RedisJobQueue.Added> addBulk(String queue, List<T> jobs, Function<? super T, JobSpec> toSpec) {
        QueueDefinition d = definition(queue);
        JobChecks.checkBulkSize(jobs == null ? 0 : jobs.size());
        List<JobSpec> specs = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            T job = jobs.get(i);
            if (job == null) {
                throw new InvalidJobException("jobs[" + i + "]", "must be a job object");
            }
            try {
                specs.add(toSpec.apply(job));
            } catch (InvalidJobException e) {
                throw e.inBulk(i);
            }
        }
        checks.checkBulk(d, specs);
        return queue(queue).add(specs, settings.minReplicaAcks(), settings.waitTimeout());
    }

    /** Limits declared by a consumer, written to Redis at start-up so every replica applies the same. */
    void applyDeclaredLimits() {
        for (QueueDefinition d : definitions.values()) {
            RedisJobQueue q = queues.get(d.name());
            QueueLimits current = q.limits();
            QueueConsumer c = d.declaration();
            QueueLimits declared =
                    current.withMaxActive(c.maxActive()).withRate(c.rateMax(), Duration.ofMillis(c.rateWindowMs()));
            if (!declared.equals(current)) {
                q.configure(declared);
            }
        }
    }
}
