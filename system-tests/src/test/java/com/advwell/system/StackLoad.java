package com.advwell.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady client load through the edge: each thread adds a webhook job and reads /api/me, ten times a second.
 * Counts answers per phase: 2xx, 503 (an add no Redis replica confirmed: not acknowledged, expected while Redis has
 * no master or no replica), other statuses and connection errors.
 */
final class StackLoad {
    record Phase(String name, int ok, int refused503, int otherStatus, int ioErrors, List<String> samples) {
        int errors() {
            return otherStatus + ioErrors;
        }

        @Override
        public String toString() {
            return "%s: %d ok, %d x 503, %d other errors, %d connection errors%s"
                    .formatted(name, ok, refused503, otherStatus, ioErrors, samples.isEmpty() ? "" : " " + samples);
        }
    }

    private final SwarmStack stack;
    private final String key;
    /** Every job whose add was acknowledged (201 or 200), shared with the rest of the test. */
    private final Set<String> acked;

    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger other = new AtomicInteger();
    private final AtomicInteger io = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Long> ackedAt = new ConcurrentHashMap<>();
    private final AtomicInteger totalOk = new AtomicInteger();
    private final AtomicInteger totalErrors = new AtomicInteger();
    private String phase = "start";

    StackLoad(SwarmStack stack, String key, Set<String> acked, int threadCount) {
        this.stack = stack;
        this.key = key;
        this.acked = acked;
        threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            threads.submit(this::loop);
        }
    }

    private void loop() {
        while (running.get()) {
            String id = "load-" + UUID.randomUUID();
            try {
                HttpResponse<String> add = stack.addJob(key, id);
                count(add, "add");
                if (add.statusCode() == 201 || add.statusCode() == 200) {
                    acked.add(id);
                    ackedAt.put(id, System.nanoTime());
                }
                count(stack.send("GET", "/api/me", key, null), "me");
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                io.incrementAndGet();
                totalErrors.incrementAndGet();
                sample(e.getClass().getSimpleName());
            }
        }
    }

    private void count(HttpResponse<String> r, String what) {
        int s = r.statusCode();
        if (s / 100 == 2) {
            ok.incrementAndGet();
            totalOk.incrementAndGet();
        } else if (s == 503 && "add".equals(what)) {
            refused.incrementAndGet();
        } else {
            other.incrementAndGet();
            totalErrors.incrementAndGet();
            String body = r.body() == null ? "" : r.body().replaceAll("\\s+", " ");
            sample(what + " " + s + " " + body.substring(0, Math.min(160, body.length())));
        }
    }

    private void sample(String s) {
        if (samples.size() < 5) {
            samples.add(s);
        }
    }

    /** Ends the current phase (answering its counts) and starts the next. */
    synchronized Phase phase(String next) {
        Phase p = new Phase(
                phase,
                ok.getAndSet(0),
                refused.getAndSet(0),
                other.getAndSet(0),
                io.getAndSet(0),
                new ArrayList<>(samples));
        samples.clear();
        phase = next;
        return p;
    }

    List<String> ackedSince(long nanoTime) {
        List<String> ids = new ArrayList<>();
        ackedAt.forEach((id, at) -> {
            if (at >= nanoTime) {
                ids.add(id);
            }
        });
        Collections.shuffle(ids);
        return ids;
    }

    String totals() {
        return "%d ok, %d errors".formatted(totalOk.get(), totalErrors.get());
    }

    /**
     * Stops the load and waits up to {@code timeout} for the receiver to hold every acknowledged job (a job running
     * on a killed task comes once its lock runs out); prints the figures with {@code prefix} and answers the
     * acknowledged jobs never delivered.
     */
    Set<String> stopAndAwaitDelivery(WebhookReceiver receiver, Duration timeout, String prefix) throws Exception {
        Phase last = stop();
        long t = System.nanoTime();
        SwarmStack.awaitQuiet(timeout, () -> receiver.jobs.containsAll(acked));
        Set<String> lost = new TreeSet<>(acked);
        lost.removeAll(receiver.jobs);
        System.out.printf(
                "%s %d jobs acknowledged in all, %d delivered (%d repeated deliveries), lost %d, %.1f s after"
                        + " the load stopped; load totals: %s; last phase %s%n",
                prefix,
                acked.size(),
                acked.size() - lost.size(),
                receiver.repeats.get(),
                lost.size(),
                SwarmStack.secondsSince(t),
                totals(),
                last);
        return lost;
    }

    Phase stop() throws InterruptedException {
        if (!running.getAndSet(false)) {
            return phase("stopped");
        }
        threads.shutdown();
        threads.awaitTermination(40, TimeUnit.SECONDS);
        return phase("stopped");
    }
}
