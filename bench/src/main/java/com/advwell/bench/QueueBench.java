package com.advwell.bench;

import com.advwell.jobs.control.BatchingProducer;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.QueueWorker;
import com.advwell.jobs.control.RedisJobQueue;
import com.advwell.jobs.control.WorkerOptions;
import com.advwell.platform.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The AdvWell side of {@code bench/run}: the same scenarios as {@code bench/bullmq/bench.mjs}, against the same Redis,
 * with no-op handlers, printing (and writing) the same JSON fields.
 */
public final class QueueBench {

    private final JedisPooled redis;
    private final RedisKeys keys;
    private final int scale;
    private final List<String> phases;
    private int queues;

    private QueueBench(JedisPooled redis, String prefix, boolean quick, List<String> phases) {
        this.redis = redis;
        this.keys = new RedisKeys(prefix);
        this.scale = quick ? 10 : 1;
        this.phases = phases;
    }

    public static void main(String[] args) throws Exception {
        String host = arg(args, "--host", "127.0.0.1");
        int port = Integer.parseInt(arg(args, "--port", "6379"));
        String prefix = arg(args, "--prefix", "bench-" + Long.toHexString(System.nanoTime()));
        String out = arg(args, "--out", null);
        boolean quick = Arrays.asList(args).contains("--quick");
        List<String> phases =
                List.of(arg(args, "--phases", "enqueue,process,latency,memory").split(","));
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(256);
        pool.setMaxIdle(256);
        try (JedisPooled redis = new JedisPooled(
                pool,
                new HostAndPort(host, port),
                DefaultJedisClientConfig.builder().timeoutMillis(10_000).build())) {
            QueueBench b = new QueueBench(redis, prefix, quick, phases);
            String json;
            try {
                json = b.run();
            } finally {
                b.deleteAll();
            }
            System.out.println(json);
            if (out != null) {
                Files.writeString(Path.of(out), json + "\n");
            }
        }
    }

    private String run() throws Exception {
        warmUp();
        boolean enqueue = phases.contains("enqueue");
        boolean process = phases.contains("process");
        boolean latency = phases.contains("latency");
        double one = enqueue ? enqueueOneByOne(10_000 / scale) : 0;
        double inFlight = enqueue ? enqueueInFlight(20_000 / scale, 50) : 0;
        double bulk = enqueue ? enqueueBulk(20_000 / scale, 1000) : 0;
        double c1 = process || phases.contains("c1") ? process(50_000 / scale, 1) : 0;
        double c10 = process || phases.contains("c10") ? process(50_000 / scale, 10) : 0;
        double c100 = process || phases.contains("c100") ? process(50_000 / scale, 100) : 0;
        double[] l500 = latency ? latency(500, Duration.ofSeconds(10 / Math.min(scale, 5))) : new double[4];
        double[] l2000 = latency ? latency(2000, Duration.ofSeconds(10 / Math.min(scale, 5))) : new double[4];
        double memory = phases.contains("memory") ? memoryPerWaitingJob(100_000 / scale) : 0;
        return String.format(
                Locale.ROOT,
                "{\"engine\":\"advwell\",\"version\":\"%s\",\"enqueue_one_by_one\":%.0f,"
                        + "\"enqueue_50_in_flight\":%.0f,\"enqueue_bulk_1000\":%.0f,\"process_c1\":%.0f,\"process_c10\":%.0f,"
                        + "\"process_c100\":%.0f,\"latency_500\":%s,\"latency_2000\":%s,\"memory_per_waiting_job\":%.1f}",
                version(),
                one,
                inFlight,
                bulk,
                c1,
                c10,
                c100,
                latencyJson(l500),
                latencyJson(l2000),
                memory);
    }

    private static String version() {
        String v = QueueBench.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private RedisJobQueue newQueue() {
        return new RedisJobQueue(redis, keys.queue("q" + (++queues)));
    }

    private static JobSpec job(long i) {
        return JobSpec.of("noop", "{\"i\":" + i + ",\"t\":" + System.currentTimeMillis() + "}")
                .withAttempts(1, null);
    }

    /** As the BullMQ side: each enqueue path once (one by one, in flight, bulk), then a worker, before measuring. */
    private void warmUp() throws Exception {
        RedisJobQueue q = newQueue();
        for (int i = 0; i < 500; i++) {
            q.add(List.of(job(i)));
        }
        enqueueInFlight(500, 50);
        enqueueBulk(1000, 1000);
        runWorker(q, 500, 10);
    }

    private double enqueueOneByOne(int n) {
        RedisJobQueue q = newQueue();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            q.add(List.of(job(i)));
        }
        return perSecond(n, start);
    }

    /**
     * 50 lanes, each adding one job and waiting for its acknowledgement before it adds the next, as the BullMQ side's
     * 50 promises do: a lane's next add is started by the acknowledgement of its last one (no thread per lane, as
     * none is on Node's event loop). The adds go through the group-commit producer: those that arrive while a write
     * is in flight share the next write, and each is acknowledged only once its own write is done.
     */
    private double enqueueInFlight(int n, int inFlight) {
        RedisJobQueue q = newQueue();
        ExecutorService writer = Executors.newCachedThreadPool();
        BatchingProducer producer = new BatchingProducer(q, writer, 0, Duration.ofSeconds(1));
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> lanes = new ArrayList<>(inFlight);
        for (int t = 0; t < inFlight; t++) {
            lanes.add(lane(producer, next, n));
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
        double rate = perSecond(n, start);
        writer.shutdown();
        return rate;
    }

    private static CompletableFuture<Void> lane(BatchingProducer producer, AtomicInteger next, int n) {
        int i = next.getAndIncrement();
        if (i >= n) {
            return CompletableFuture.completedFuture(null);
        }
        return producer.addAsync(job(i)).thenCompose(added -> lane(producer, next, n));
    }

    private double enqueueBulk(int n, int batch) {
        RedisJobQueue q = newQueue();
        long start = System.nanoTime();
        for (int i = 0; i < n; i += batch) {
            List<JobSpec> specs = new ArrayList<>(batch);
            for (int j = 0; j < batch; j++) {
                specs.add(job(i + j));
            }
            q.add(specs);
        }
        return perSecond(n, start);
    }

    /** Jobs per second from the start of a worker until it completed {@code n} pre-added jobs. */
    private double process(int n, int concurrency) throws Exception {
        RedisJobQueue q = newQueue();
        for (int i = 0; i < n; i += 1000) {
            List<JobSpec> specs = new ArrayList<>(1000);
            for (int j = 0; j < Math.min(1000, n - i); j++) {
                specs.add(job(i + j));
            }
            q.add(specs);
        }
        double redisCpu = redisCpuSeconds();
        long jvmCpu = ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long start = System.nanoTime();
        double rate = runWorker(q, n, concurrency);
        double wall = (System.nanoTime() - start) / 1e9;
        long jvmCpuAfter = ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        // where the time went (stderr, not part of the JSON): CPU per processed job in Redis and in this JVM
        System.err.printf(
                Locale.ROOT,
                "process c%d: %.0f jobs/s; Redis %.1f us/job (%.0f%% busy), JVM %.1f us/job%n",
                concurrency,
                rate,
                (redisCpuSeconds() - redisCpu) * 1e6 / n,
                (redisCpuSeconds() - redisCpu) * 100 / wall,
                (jvmCpuAfter - jvmCpu) / 1e3 / n);
        return rate;
    }

    private double redisCpuSeconds() {
        return Double.parseDouble(info("cpu", "used_cpu_sys")) + Double.parseDouble(info("cpu", "used_cpu_user"));
    }

    private double runWorker(RedisJobQueue q, int n, int concurrency) throws Exception {
        CountDownLatch done = new CountDownLatch(n);
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        QueueWorker w = new QueueWorker(
                q,
                redis,
                new WorkerOptions("bench", concurrency, Duration.ofSeconds(30), Duration.ofMinutes(5)),
                job -> {
                    done.countDown();
                    return null;
                },
                executor,
                scheduler,
                new QueueWorker.Listener() {});
        long start = System.nanoTime();
        w.start();
        done.await();
        double rate = perSecond(n, start);
        w.stop(Duration.ofSeconds(5));
        executor.shutdownNow();
        scheduler.shutdownNow();
        return rate;
    }

    /** Open-loop: adds at a fixed rate by the clock; latency = add call start to handler start. */
    private double[] latency(int perSecond, Duration duration) throws Exception {
        RedisJobQueue q = newQueue();
        int n = (int) (perSecond * duration.toSeconds());
        long[] latencies = new long[n];
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        AtomicLong base = new AtomicLong();
        QueueWorker w = new QueueWorker(
                q,
                redis,
                new WorkerOptions("bench", 10, Duration.ofSeconds(30), Duration.ofMinutes(5)),
                job -> {
                    long now = System.nanoTime();
                    String p = job.payload();
                    long sent = Long.parseLong(p.substring(p.indexOf("\"t\":") + 4, p.length() - 1));
                    int slot = seen.getAndIncrement();
                    if (slot < n) {
                        latencies[slot] = now - base.get() - sent;
                    }
                    done.countDown();
                    return null;
                },
                executor,
                scheduler,
                new QueueWorker.Listener() {});
        w.start();
        Thread.sleep(200);
        long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        base.set(start);
        for (int i = 0; i < n; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long sent = System.nanoTime() - start;
            q.add(List.of(
                    JobSpec.of("noop", "{\"i\":" + i + ",\"t\":" + sent + "}").withAttempts(1, null)));
        }
        done.await(60, TimeUnit.SECONDS);
        w.stop(Duration.ofSeconds(5));
        executor.shutdownNow();
        scheduler.shutdownNow();
        long[] sorted = Arrays.copyOf(latencies, Math.min(n, seen.get()));
        Arrays.sort(sorted);
        return new double[] {pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1e6};
    }

    private double memoryPerWaitingJob(int n) {
        RedisJobQueue q = newQueue();
        q.add(List.of(job(0)));
        long before = usedMemory();
        for (int i = 1; i <= n; i += 1000) {
            List<JobSpec> specs = new ArrayList<>(1000);
            for (int j = 0; j < 1000 && i + j <= n; j++) {
                specs.add(job(i + j));
            }
            q.add(specs);
        }
        return (usedMemory() - before) / (double) n;
    }

    private long usedMemory() {
        return Long.parseLong(info("memory", "used_memory"));
    }

    /** One field of a section of {@code INFO}. */
    private String info(String section, String field) {
        String info = new String((byte[]) redis.sendCommand(Protocol.Command.INFO, section), StandardCharsets.UTF_8);
        for (String line : info.split("\\r?\\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException("no " + field + " in INFO " + section);
    }

    private void deleteAll() {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r =
                    redis.scan(cursor, new ScanParams().match(keys.pattern()).count(5000));
            if (!r.getResult().isEmpty()) {
                redis.unlink(r.getResult().toArray(String[]::new));
            }
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
    }

    private static String latencyJson(double[] l) {
        return String.format(
                Locale.ROOT, "{\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,\"max\":%.3f}", l[0], l[1], l[2], l[3]);
    }

    private static double perSecond(int n, long startNanos) {
        return n / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
