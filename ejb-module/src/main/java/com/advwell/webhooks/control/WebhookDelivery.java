package com.advwell.webhooks.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLException;

/**
 * Sends one attempt of an {@code http} job: a signed JSON {@code POST} to a destination the {@link DestinationGuard}
 * accepts right now, turned into a {@link DeliveryOutcome}.
 *
 * <h2>What a receiver gets and how it verifies it</h2>
 * <pre>
 * POST &lt;payload.url&gt;
 * Content-Type: application/json
 * X-AdvWell-Job-Id: &lt;job id, the same on every attempt&gt;
 * X-AdvWell-Attempt: &lt;1, 2, ...&gt;
 * X-AdvWell-Timestamp: &lt;unix seconds when this attempt was signed&gt;
 * X-AdvWell-Signature: v1=&lt;lower-case hex HMAC-SHA256(key, timestamp + "." + body)&gt;
 * &lt;payload.body as JSON, UTF-8&gt;
 * </pre>
 * The key is the UTF-8 bytes of {@code WEBHOOK_SIGNING_SECRET}; the signed message is the decimal timestamp exactly
 * as sent, one {@code .} and the raw body bytes (verify before parsing the JSON). A receiver should compare in
 * constant time (see {@link #verify}), refuse timestamps more than a few minutes from its own clock (replays), and
 * treat the job id as an idempotency key: delivery is at least once, because a timed-out attempt may have arrived.
 * The header may one day carry several comma-separated {@code v1=} values (secret rotation); any match is valid.
 *
 * <p>Redirects are never followed (a redirect could lead past the guard), no proxy is used (the guard must see the
 * address actually connected to), and at most 4 KiB of a response body is read.
 */
public final class WebhookDelivery {

    static final int BODY_LIMIT = 4096;
    private static final int REASON_SNIPPET_CHARS = 200;
    private static final String HMAC = "HmacSHA256";

    private final WebhookSettings settings;
    private final DestinationGuard guard;
    private final HttpClient client;
    private final Clock clock;

    public WebhookDelivery(WebhookSettings settings, HttpClient client, Clock clock) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("a webhook client must not follow redirects; use newHttpClient");
        }
        this.settings = settings;
        this.guard = new DestinationGuard(settings.allowedDestinations());
        this.client = client;
        this.clock = clock;
    }

    /** The client deliveries need: no redirects, no proxy, HTTP/1.1 (no h2c upgrade dance on plain http). */
    public static HttpClient newHttpClient(WebhookSettings settings) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
    }

    public DeliveryOutcome deliver(WebhookJob job, String jobId, int attempt) {
        Optional<String> secret = settings.signingSecret();
        if (secret.isEmpty()) {
            // another replica may have the secret, or the operator may add it: not the job's fault
            return new DeliveryOutcome.RetryLater("http jobs need " + WebhookSettings.SECRET
                    + "; not sent unsigned", Optional.empty());
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
        HttpRequest.Builder builder = HttpRequest.newBuilder(job.url())
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        job.headers().forEach(builder::header);
        HttpRequest request = builder.header("Content-Type", "application/json")
                .header("X-AdvWell-Job-Id", jobId)
                .header("X-AdvWell-Attempt", Integer.toString(attempt))
                .header("X-AdvWell-Timestamp", timestamp)
                .header("X-AdvWell-Signature", sign(secret.get(), timestamp, body))
                .build();
        return send(request, timeout);
    }

    private DeliveryOutcome send(HttpRequest request, Duration timeout) {
        long start = System.nanoTime();
        CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> {
            head.complete(info);
            return new CappedBody(BODY_LIMIT);
        });
        try {
            HttpResponse<byte[]> response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return classify(response.statusCode(), response.headers(), response.body(), millisSince(start));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            HttpResponse.ResponseInfo info = head.getNow(null);
            if (info != null) {
                // the status arrived in time; only the body trickled, and the status is what counts
                return classify(info.statusCode(), info.headers(), new byte[0], millisSince(start));
            }
            return new DeliveryOutcome.RetryLater("no response within " + timeout.toMillis() + " ms", Optional.empty());
        } catch (ExecutionException e) {
            return failure(e.getCause(), timeout);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.RetryLater("interrupted before a response", Optional.empty());
        }
    }

    private DeliveryOutcome classify(int status, HttpHeaders headers, byte[] body, long millis) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(status, millis);
        }
        if (status == 429 || (status >= 500 && status < 600)) {
            return new DeliveryOutcome.RetryLater("HTTP " + status + snippet(body),
                    RetryAfter.parse(headers.firstValue("Retry-After").orElse(null), clock.instant()));
        }
        if (status >= 300 && status < 400) {
            return new DeliveryOutcome.Rejected("HTTP " + status + ": redirects are not followed; "
                    + "give the final address in payload.url");
        }
        if (status >= 400 && status < 500) {
            return new DeliveryOutcome.Rejected("HTTP " + status + snippet(body));
        }
        return new DeliveryOutcome.Rejected("unexpected HTTP status " + status);
    }

    /** Network failures may pass; messages name the kind of failure, never the URL (its query may hold a token). */
    private static DeliveryOutcome failure(Throwable cause, Duration timeout) {
        String reason;
        if (cause instanceof HttpConnectTimeoutException) {
            reason = "could not connect within " + timeout.toMillis() + " ms";
        } else if (cause instanceof HttpTimeoutException) {
            reason = "no response within " + timeout.toMillis() + " ms";
        } else if (cause instanceof ConnectException) {
            reason = "connection refused or destination unreachable";
        } else if (cause instanceof SSLException) {
            reason = "TLS failed: " + cause.getMessage();
        } else if (cause instanceof IOException) {
            reason = "network error: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } else {
            reason = "unexpected failure: " + cause.getClass().getName();
        }
        return new DeliveryOutcome.RetryLater(reason, Optional.empty());
    }

    /** The start of a response body for an error message, on one line. */
    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}+", " ").strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > REASON_SNIPPET_CHARS ? text.substring(0, REASON_SNIPPET_CHARS) + "..." : text);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, the value of {@code X-AdvWell-Signature}. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /**
     * What a receiver does with {@code X-AdvWell-Timestamp}, the raw body and {@code X-AdvWell-Signature}: true when
     * one {@code v1=} value of the header is the signature made with {@code secret}, compared in constant time.
     * Checking the timestamp's age is left to the receiver.
     */
    public static boolean verify(String secret, String timestamp, byte[] body, String signatureHeader) {
        if (secret == null || timestamp == null || body == null || signatureHeader == null) {
            return false;
        }
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : signatureHeader.split(",")) {
            // no early exit, so the time taken does not tell which value matched
            match |= MessageDigest.isEqual(expected, candidate.strip().getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }
}
