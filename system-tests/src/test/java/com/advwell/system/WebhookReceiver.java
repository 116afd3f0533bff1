package com.advwell.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver in the test JVM: answers 204 to every POST and records what arrived. Jobs post to
 * {@code /jobs/<job id>}, schedules to {@code /schedules/<name>}. Delivery is at least once, so a job may arrive more
 * than once (counted as a repeat, not an error). A job whose id is in {@link #failing} gets a 500 instead (a failed
 * delivery, counted in {@link #refused} and not recorded as arrived).
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    final Set<String> jobs = ConcurrentHashMap.newKeySet();
    final AtomicInteger deliveries = new AtomicInteger();
    final AtomicInteger repeats = new AtomicInteger();
    final AtomicInteger unsigned = new AtomicInteger();
    final ConcurrentHashMap<String, AtomicInteger> schedules = new ConcurrentHashMap<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final AtomicInteger refused = new AtomicInteger();

    /** Listens on every interface (the tasks reach it through the address of the host on docker_gwbridge). */
    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(0), 200);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                deliveries.incrementAndGet();
                if (exchange.getRequestHeaders().getFirst("webhook-signature") == null) {
                    unsigned.incrementAndGet();
                }
                if (path.startsWith("/jobs/") && failing.contains(path.substring(6))) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                if (path.startsWith("/jobs/")) {
                    if (!jobs.add(path.substring(6))) {
                        repeats.incrementAndGet();
                    }
                } else if (path.startsWith("/schedules/")) {
                    schedules
                            .computeIfAbsent(path.substring(11), k -> new AtomicInteger())
                            .incrementAndGet();
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int scheduleDeliveries(String name) {
        AtomicInteger n = schedules.get(name);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
