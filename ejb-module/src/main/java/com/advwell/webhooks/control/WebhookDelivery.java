package com.advwell.webhooks.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one attempt of an {@code http} job: a JSON {@code POST} signed the Standard Webhooks way
 * (<a href="https://www.standardwebhooks.com">standardwebhooks.com</a>) to a destination the
 * {@link DestinationGuard} accepts right now, turned into a {@link DeliveryOutcome}.
 *
 * <h2>What a receiver gets and how it verifies it</h2>
 * <pre>
 * POST &lt;payload.url&gt;
 * Content-Type: application/json
 * webhook-id: msg_&lt;32 hex digits, the same on every attempt of the job&gt;
 * webhook-timestamp: &lt;unix seconds when this attempt was signed&gt;
 * webhook-signature: v1,&lt;base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)&gt; [v1,&lt;...&gt;]
 * X-AdvWell-Attempt: &lt;1, 2, ...&gt;
 * X-AdvWell-Job-Id: &lt;the job's id in our API, for looking it up&gt;
 * &lt;payload.body as JSON, UTF-8&gt;
 * </pre>
 * The key is the base64-decoded part of the {@code whsec_...} secret ({@link SigningSecret}); the signed message is
 * the id, the timestamp exactly as sent and the raw body bytes, joined by {@code .} (verify before parsing the JSON).
 * A receiver uses a Standard Webhooks library ({@code new Webhook("whsec_...").verify(rawBody, headers)}), which
 * compares in constant time and refuses timestamps more than five minutes from its clock, and deduplicates on
 * {@code webhook-id}: delivery is at least once, because a timed-out attempt may have arrived. During a secret
 * rotation the signature header holds one space-separated {@code v1,} value per key; any match is valid.
 *
 * <p>The id is derived from the job's identity (tenant, queue, id and creation time), not the client's id alone:
 * two tenants may both call a job {@code order-1}, and an id is reused once retention has deleted the old job.
 *
 * <p>Redirects are never followed (a redirect could lead past the guard), no proxy is used, and a new connection
 * goes only to an address the guard's rules accept as it connects (the host's DNS answer may change between the
 * check and the connect). At most 4 KiB of a response body is read. Each attempt has one deadline, its timeout, for
 * everything from the connect to the status; a body still arriving when it passes is cut off, and the status counts.
 *
 * <h2>The HTTP client</h2>
 * Apache HttpClient 5, classic (blocking) API with a connection pool (keep-alive): the thread that runs the job
 * writes the request and reads the answer itself. The JDK's {@code HttpClient} did the same exchange through its
 * selector thread and a chain of futures, and on 2 cores that thread hop and its wake-ups were a third of a
 * replica's CPU during deliveries (issue 12's profiles). A single daemon thread enforces the deadlines: every
 * {@value #SWEEP_MILLIS} ms it cancels the attempts past theirs, which closes their connections (a timer per
 * attempt woke that thread whenever the earliest deadline changed: 4.5 % of a delivering replica's CPU). Between
 * two sweeps, the socket's read timeout, the same as the attempt's, still applies.
 */
public final class WebhookDelivery implements AutoCloseable {

    static final int BODY_LIMIT = 4096;
    private static final int REASON_SNIPPET_CHARS = 200;
    private static final String HMAC = "HmacSHA256";
    private static final ContentType JSON = ContentType.create("application/json");
    /** More than any replica's delivery concurrency: the pool must never be what a delivery waits for. */
    private static final int MAX_CONNECTIONS_PER_DESTINATION = 1024;
    /** Connections idle this long are closed (a receiver that closed its end first is noticed before reuse). */
    private static final TimeValue IDLE_CONNECTION_LIFE = TimeValue.ofSeconds(60);

    private final WebhookSettings settings;
    private final DestinationGuard guard;
    private final CloseableHttpClient client;
    private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private final Clock clock;

    static final long SWEEP_MILLIS = 50;

    /** One attempt on the wire, until its deadline ({@link System#nanoTime}). */
    private static final class Attempt {
        final HttpPost request;
        final long deadline;
        volatile boolean expired;

        Attempt(HttpPost request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    public WebhookDelivery(WebhookSettings settings, Clock clock) {
        this(settings, clock, SystemDefaultDnsResolver.INSTANCE::resolve);
    }

    /** With another resolver, for both the guard's check and the connect (tests of DNS answers that change). */
    WebhookDelivery(WebhookSettings settings, Clock clock, DestinationGuard.Resolver resolver) {
        this.settings = settings;
        this.guard = new DestinationGuard(settings.allowedDestinations(), resolver);
        this.client = newHttpClient(settings, guard, resolver);
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "advwell-webhook-deadlines");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::cancelOverdue, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void cancelOverdue() {
        long now = System.nanoTime();
        for (Attempt attempt : inFlight) {
            if (now - attempt.deadline >= 0) {
                attempt.expired = true;
                // closes the connection, whether it is connecting, waiting for the status or reading the body
                attempt.request.cancel();
                inFlight.remove(attempt);
            }
        }
    }

    /**
     * No redirects, no proxy (the builder ignores the system's proxy settings unless asked), no cookies, no
     * transparent decompression (the 4 KiB cap is on what the receiver sends), no automatic retries (the queue
     * retries with back-off, and a POST must not be repeated behind its back), HTTP/1.1 keep-alive.
     */
    private static CloseableHttpClient newHttpClient(
            WebhookSettings settings, DestinationGuard guard, DestinationGuard.Resolver resolver) {
        Timeout timeout = Timeout.of(settings.timeout());
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard, resolver))
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_DESTINATION)
                .setMaxConnTotal(MAX_CONNECTIONS_PER_DESTINATION)
                .setDefaultSocketConfig(SocketConfig.custom()
                        .setTcpNoDelay(true)
                        .setSoTimeout(timeout)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableConnectionState()
                .evictIdleConnections(IDLE_CONNECTION_LIFE)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .build())
                .build();
    }

    /**
     * Resolves a host when the pool opens a connection, and refuses the answer if any address is one the guard's
     * rules refuse: the addresses connected to are the ones checked.
     */
    private record GuardedDnsResolver(DestinationGuard guard, DestinationGuard.Resolver resolver)
            implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = resolver.resolve(host);
            for (InetAddress address : addresses) {
                Optional<String> refused = guard.refusal(address);
                if (refused.isPresent()) {
                    throw new RefusedAddress(
                            host + " now resolves to " + address.getHostAddress() + ", which is " + refused.get());
                }
            }
            return Arrays.copyOf(addresses, addresses.length);
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    /** The host's address changed to a refused one between the guard's check and the connect. */
    private static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    /**
     * One attempt. {@code messageId} is {@link #messageId}'s answer for the job; {@code jobId} is only shown to the
     * receiver, for looking the job up.
     */
    public DeliveryOutcome deliver(WebhookJob job, String messageId, String jobId, int attempt) {
        List<SigningSecret> keys = settings.signingKeys();
        if (keys.isEmpty()) {
            // another replica may have the secret, or the operator may add it: not the job's fault
            return new DeliveryOutcome.RetryLater(
                    "http jobs need " + WebhookSettings.SECRET + "; not sent unsigned", Optional.empty());
        }
        // checked again on every attempt: the host's DNS may point somewhere else since the job was enqueued
        DestinationGuard.Verdict verdict = guard.check(job.url());
        if (verdict instanceof DestinationGuard.Verdict.Refused refused) {
            return new DeliveryOutcome.Rejected("payload.url: " + refused.reason());
        }
        if (verdict instanceof DestinationGuard.Verdict.Unresolved unresolved) {
            return new DeliveryOutcome.RetryLater("payload.url: " + unresolved.reason(), Optional.empty());
        }
        Duration timeout = job.effectiveTimeout(settings.timeout());
        byte[] body = job.bodyBytes();
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpPost request = new HttpPost(job.url());
        job.headers().forEach(request::addHeader);
        request.setHeader("webhook-id", messageId);
        request.setHeader("webhook-timestamp", timestamp);
        request.setHeader("webhook-signature", sign(keys, messageId, timestamp, body));
        request.setHeader("X-AdvWell-Attempt", Integer.toString(attempt));
        request.setHeader("X-AdvWell-Job-Id", jobId);
        request.setEntity(new ByteArrayEntity(body, JSON));
        request.setConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .setResponseTimeout(Timeout.of(timeout))
                .build());
        return send(request, timeout);
    }

    private DeliveryOutcome send(HttpPost request, Duration timeout) {
        long start = System.nanoTime();
        Attempt attempt = new Attempt(request, start + timeout.toNanos());
        inFlight.add(attempt);
        try {
            ClassicHttpResponse response;
            try {
                response = client.executeOpen(null, request, null);
            } catch (IOException | RuntimeException e) {
                if (attempt.expired) {
                    return new DeliveryOutcome.RetryLater(
                            "no response within " + timeout.toMillis() + " ms", Optional.empty());
                }
                return failure(e, timeout);
            }
            byte[] kept;
            boolean complete;
            // not closed by a try-with-resources: closing the entity's stream drains the rest of the body
            try {
                BoundedRead read = readAtMost(content(response.getEntity()), BODY_LIMIT);
                kept = read.bytes();
                complete = read.complete();
            } catch (IOException e) {
                if (!attempt.expired) {
                    close(response, CloseMode.IMMEDIATE);
                    return failure(e, timeout);
                }
                // the status arrived in time; only the body trickled, and the status is what counts
                kept = new byte[0];
                complete = false;
            }
            // a body read to its end left the connection in the pool; one cut short must not be drained
            close(response, complete ? CloseMode.GRACEFUL : CloseMode.IMMEDIATE);
            return classify(response.getCode(), response, kept, millisSince(start));
        } finally {
            inFlight.remove(attempt);
        }
    }

    private static InputStream content(HttpEntity entity) throws IOException {
        return entity == null ? InputStream.nullInputStream() : entity.getContent();
    }

    private record BoundedRead(byte[] bytes, boolean complete) {}

    /** Up to {@code limit} bytes; complete when the stream ended within them. */
    private static BoundedRead readAtMost(InputStream in, int limit) throws IOException {
        byte[] buffer = new byte[limit];
        int n = 0;
        while (n < limit) {
            int r = in.read(buffer, n, limit - n);
            if (r < 0) {
                return new BoundedRead(Arrays.copyOf(buffer, n), true);
            }
            n += r;
        }
        return new BoundedRead(buffer, false);
    }

    private static void close(ClassicHttpResponse response, CloseMode mode) {
        try {
            if (response instanceof org.apache.hc.core5.io.ModalCloseable modal) {
                modal.close(mode);
            } else {
                response.close();
            }
        } catch (IOException e) {
            // the connection is discarded either way
        }
    }

    private DeliveryOutcome classify(int status, ClassicHttpResponse response, byte[] body, long millis) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status, millis);
        }
        if (status == 429 || (status >= 500 && status < 600)) {
            Header retryAfter = response.getFirstHeader("Retry-After");
            return new DeliveryOutcome.RetryLater(
                    "HTTP " + status + snippet(body),
                    RetryAfter.parse(retryAfter == null ? null : retryAfter.getValue(), clock.instant()));
        }
        if (status >= 300 && status < 400) {
            return new DeliveryOutcome.Rejected(
                    "HTTP " + status + ": redirects are not followed; " + "give the final address in payload.url");
        }
        if (status >= 400 && status < 500) {
            return new DeliveryOutcome.Rejected("HTTP " + status + snippet(body));
        }
        return new DeliveryOutcome.Rejected("unexpected HTTP status " + status);
    }

    /** Network failures may pass; messages name the kind of failure, never the URL (its query may hold a token). */
    private static DeliveryOutcome failure(Throwable cause, Duration timeout) {
        String reason;
        if (cause instanceof ConnectTimeoutException) {
            reason = "could not connect within " + timeout.toMillis() + " ms";
        } else if (cause instanceof SocketTimeoutException) {
            reason = "no response within " + timeout.toMillis() + " ms";
        } else if (cause instanceof RefusedAddress refused) {
            reason = "payload.url: " + refused.getMessage();
        } else if (cause instanceof ConnectException) {
            reason = "connection refused or destination unreachable";
        } else if (cause instanceof UnknownHostException) {
            reason = "payload.url: the host does not resolve";
        } else if (cause instanceof SSLException) {
            reason = "TLS failed: " + cause.getMessage();
        } else if (cause instanceof InterruptedIOException) {
            reason = "interrupted before a response";
        } else if (cause instanceof IOException) {
            reason = "network error: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } else {
            reason = "unexpected failure: " + cause.getClass().getName();
        }
        return new DeliveryOutcome.RetryLater(reason, Optional.empty());
    }

    /** Closes the connections and stops the deadline thread. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }

    /** The start of a response body for an error message, on one line. */
    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}+", " ")
                .strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > REASON_SNIPPET_CHARS ? text.substring(0, REASON_SNIPPET_CHARS) + "..." : text);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * The {@code webhook-id} of a job: {@code msg_} and 128 bits of SHA-256 over its tenant (none for a system job),
     * queue, id and creation time (ms, Redis' clock, stored with the job). Every attempt, and a retry through the API,
     * gets the same id; another tenant's job, or a later job that reuses the id after retention deleted this one,
     * gets another.
     */
    public static String messageId(String tenant, String queue, String jobId, long createdMillis) {
        // none of the parts can hold a newline (ids, queue names and tenant ids are restricted), so the join is unique
        String identity =
                (tenant == null ? "system" : "tenant:" + tenant) + "\n" + queue + "\n" + jobId + "\n" + createdMillis;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The {@code webhook-signature} value: one {@code v1,<base64>} per key, separated by spaces. */
    public static String sign(List<SigningSecret> keys, String messageId, String timestamp, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (SigningSecret key : keys) {
            header.append(header.isEmpty() ? "" : " ").append(signature(key, messageId, timestamp, body));
        }
        return header.toString();
    }

    /** {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}, one Standard Webhooks signature. */
    static String signature(SigningSecret key, String messageId, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.key(), HMAC));
            mac.update(messageId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /**
     * What a Java receiver without a Standard Webhooks library does with {@code webhook-id},
     * {@code webhook-timestamp}, the raw body and {@code webhook-signature}: true when one space-separated
     * {@code v1,} value is the signature made with {@code secret}, compared in constant time. Checking the
     * timestamp's age is left to the receiver.
     */
    public static boolean verify(
            SigningSecret secret, String messageId, String timestamp, byte[] body, String signatureHeader) {
        if (secret == null || messageId == null || timestamp == null || body == null || signatureHeader == null) {
            return false;
        }
        byte[] expected = signature(secret, messageId, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : signatureHeader.split(" ")) {
            // no early exit, so the time taken does not tell which value matched
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }
}
