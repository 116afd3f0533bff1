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
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLException;

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

    /**
     * The client deliveries need: no redirects, no proxy, HTTP/1.1 (no h2c upgrade dance on plain http). Its own
     * steps run on the thread that gets to them (the caller sending, the client's selector thread receiving) instead
     * of hopping to a pool thread in between: nothing in a delivery's stages blocks (the body is capped and only
     * collected; the caller waits on the future), and each hop cost a context switch per request on 2 cores
     * (issue 12's profiles).
     */
    public static HttpClient newHttpClient(WebhookSettings settings) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .executor(Runnable::run)
                .build();
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
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(job.url()).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        job.headers().forEach(builder::header);
        HttpRequest request = builder.header("Content-Type", "application/json")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", sign(keys, messageId, timestamp, body))
                .header("X-AdvWell-Attempt", Integer.toString(attempt))
                .header("X-AdvWell-Job-Id", jobId)
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
            return new DeliveryOutcome.RetryLater(
                    "HTTP " + status + snippet(body),
                    RetryAfter.parse(headers.firstValue("Retry-After").orElse(null), clock.instant()));
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
