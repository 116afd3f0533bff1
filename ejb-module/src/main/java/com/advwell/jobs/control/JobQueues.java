package com.advwell.jobs.control;

import com.advwell.platform.config.Settings;
import com.advwell.platform.errors.ProblemException;
import com.advwell.platform.redis.Redis;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import com.advwell.webhooks.control.Webhooks;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The producer API and the registry of this deployment's queues: {@code @Inject JobQueues queues;
 * queues.add("webhooks", JobSpec.of("http", json))}. An add is validated (known queue, accepted type, payload size),
 * written in one script and acknowledged only after {@code REDIS_MIN_REPLICA_ACKS} Redis replicas have it.
 */
@ApplicationScoped
public class JobQueues {

    private static final Logger LOG = Logger.getLogger(JobQueues.class.getName());
    public static final int MAX_BULK = 1000;
    static final String HTTP_TYPE = "http";

    @Inject
    Redis redis;

    @Inject
    QueueConsumerExtension extension;

    @Inject
    Webhooks webhooks;

    private QueueSettings settings;
    private Map<String, QueueDefinition> definitions;
    private Map<String, RedisJobQueue> queues;
    private Map<String, BatchingProducer> producers;

    @Resource
    ManagedExecutorService writer;

    @PostConstruct
    void init() {
        settings = QueueSettings.from(Settings.fromMicroProfileConfig());
        Map<String, QueueDefinition> defs = new TreeMap<>();
        Map<String, RedisJobQueue> qs = new TreeMap<>();
        for (Method m : extension.methods()) {
            QueueConsumer c = m.getAnnotation(QueueConsumer.class);
            QueueDefinition previous = defs.put(c.queue(),
                    new QueueDefinition(c.queue(), Set.copyOf(Arrays.asList(c.types())), c, m));
            if (previous != null) {
                throw new IllegalStateException("two consumers declare queue " + c.queue() + ": " + previous.method()
                        + " and " + m);
            }
            qs.put(c.queue(), new RedisJobQueue(redis.client(), new QueueKeys(redis.settings().keyPrefix(), c.queue())));
        }
        definitions = Collections.unmodifiableMap(defs);
        queues = Collections.unmodifiableMap(qs);
        Map<String, BatchingProducer> ps = new TreeMap<>();
        // writes run on the default executor, never on the jobs executor whose threads may be the ones adding
        qs.forEach((name, q) -> ps.put(name, new BatchingProducer(q, writer, settings.minReplicaAcks(),
                settings.waitTimeout())));
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
     * Adds one job; see {@link #addBulk}. Concurrent single adds to one queue share a write (and its {@code WAIT}):
     * each is still acknowledged only after its own job is written and confirmed.
     */
    public RedisJobQueue.Added add(String queue, JobSpec spec) {
        validate(definition(queue), List.of(spec));
        return producers.get(queue).add(spec);
    }

    /**
     * Adds jobs atomically (all or none). Throws {@link UnknownQueueException}, {@link InvalidJobException} (the
     * field is {@code type} or {@code jobs[i].type}), {@link JobTooLargeException}, or {@link NotDurableException}
     * when the Redis replicas did not confirm in time (adding again with the same ids is safe).
     */
    public List<RedisJobQueue.Added> addBulk(String queue, List<JobSpec> specs) {
        validate(definition(queue), specs);
        return queue(queue).add(specs, settings.minReplicaAcks(), settings.waitTimeout());
    }

    private void validate(QueueDefinition d, List<JobSpec> specs) {
        String queue = d.name();
        if (specs.isEmpty() || specs.size() > MAX_BULK) {
            throw new InvalidJobException("jobs", "send between 1 and " + MAX_BULK + " jobs");
        }
        for (int i = 0; i < specs.size(); i++) {
            JobSpec s = specs.get(i);
            String at = specs.size() == 1 ? "" : "jobs[" + i + "].";
            if (!d.accepts(s.type())) {
                throw new InvalidJobException(at + "type", "queue " + queue + " accepts " + d.types() + ", not '"
                        + s.type() + "'");
            }
            int bytes = s.payload().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > settings.maxPayloadBytes()) {
                throw new JobTooLargeException(bytes, settings.maxPayloadBytes());
            }
            if (s.type().equals(HTTP_TYPE)) {
                // refuse what can never be delivered (bad URL, internal destination, no signing secret) now,
                // with the field named, instead of after the job ran
                try {
                    webhooks.validate(asObject(s.payload(), at + "payload"));
                } catch (ProblemException e) {
                    if (at.isEmpty() || e.field().isEmpty()) {
                        throw e;
                    }
                    throw new ProblemException(e.status(), e.type(), e.title(), at + e.getMessage(),
                            at + e.field().get(), e.retryAfterSeconds().orElse(null));
                }
            }
        }
    }

    private static JsonObject asObject(String json, String field) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        } catch (RuntimeException e) {
            throw new InvalidJobException(field, "must be a JSON object");
        }
    }

    /** Limits declared by a consumer, written to Redis at start-up so every replica applies the same. */
    void applyDeclaredLimits() {
        for (QueueDefinition d : definitions.values()) {
            RedisJobQueue q = queues.get(d.name());
            QueueLimits current = q.limits();
            QueueConsumer c = d.declaration();
            QueueLimits declared = current.withMaxActive(c.maxActive())
                    .withRate(c.rateMax(), Duration.ofMillis(c.rateWindowMs()));
            if (!declared.equals(current)) {
                q.configure(declared);
            }
        }
    }
}
