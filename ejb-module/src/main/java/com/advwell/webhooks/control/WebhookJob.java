package com.advwell.webhooks.control;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The payload of an {@code http} job, checked: {@code {"url", "body", "headers", "timeoutMs"}}. Parsing needs no
 * network; {@link Webhooks#validate} adds the destination check that enqueueing needs.
 */
public record WebhookJob(URI url, JsonValue body, Map<String, String> headers, Optional<Duration> timeout) {

    static final int MAX_HEADERS = 20;
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_HEADER_VALUE_LENGTH = 4096;
    static final int MIN_TIMEOUT_MS = 100;
    static final int MAX_TIMEOUT_MS = 60_000;

    private static final Set<String> FIELDS = Set.of("url", "body", "headers", "timeoutMs");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final String OUR_PREFIX = "x-advwell-";
    /** Standard Webhooks' headers (webhook-id, -timestamp, -signature and any it adds later) are the delivery's. */
    private static final String STANDARD_PREFIX = "webhook-";
    /**
     * Headers the delivery owns: framing and hop-by-hop headers would corrupt the exchange (the JDK client refuses
     * several of them outright), and Content-Type is always application/json because the body is JSON.
     */
    private static final Set<String> RESERVED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        RESERVED.addAll(Set.of(
                "Host",
                "Content-Length",
                "Connection",
                "Transfer-Encoding",
                "Keep-Alive",
                "Proxy-Connection",
                "TE",
                "Trailer",
                "Upgrade",
                "Expect",
                "Content-Type"));
    }

    public WebhookJob {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * Checks a job payload; the exception's detail starts with the field at fault ({@code payload.url: ...}). Fails
     * for every payload when no signing secret is set, because requests are never sent unsigned.
     */
    public static WebhookJob parse(JsonObject payload, WebhookSettings settings) {
        if (!settings.enabled()) {
            throw new RefusedException(
                    Refusal.WEBHOOKS_DISABLED,
                    "http jobs need " + WebhookSettings.SECRET + "; ask the operator to set it",
                    "payload",
                    null);
        }
        for (String name : payload.keySet()) {
            if (!FIELDS.contains(name)) {
                throw invalid("payload." + name, "unknown field; expected url, body, headers or timeoutMs");
            }
        }
        return new WebhookJob(
                url(payload.get("url")),
                payload.getOrDefault("body", JsonValue.EMPTY_JSON_OBJECT),
                headers(payload.get("headers")),
                timeout(payload.get("timeoutMs")));
    }

    /** The body as it is sent and signed. */
    public byte[] bodyBytes() {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The request timeout: what the job asked for, never more than the operator's {@code WEBHOOK_TIMEOUT_MS}. */
    public Duration effectiveTimeout(Duration max) {
        return timeout.filter(t -> t.compareTo(max) < 0).orElse(max);
    }

    private static URI url(JsonValue value) {
        if (!(value instanceof JsonString string)) {
            throw invalid("payload.url", value == null ? "is required" : "must be a string");
        }
        String text = string.getString();
        if (text.length() > MAX_URL_LENGTH) {
            throw invalid("payload.url", "must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("payload.url", "is not a valid URL: " + e.getReason());
        }
        DestinationGuard.formProblem(uri).ifPresent(problem -> {
            throw invalid("payload.url", problem);
        });
        return uri;
    }

    private static Map<String, String> headers(JsonValue value) {
        if (value == null || value == JsonValue.NULL) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)) {
            throw invalid("payload.headers", "must be an object of header names to string values");
        }
        if (object.size() > MAX_HEADERS) {
            throw invalid("payload.headers", "at most " + MAX_HEADERS + " headers, got " + object.size());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            String name = entry.getKey();
            String field = "payload.headers." + name;
            if (!TOKEN.matcher(name).matches()) {
                throw invalid(field, "is not a valid header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(name) || lower.startsWith(OUR_PREFIX) || lower.startsWith(STANDARD_PREFIX)) {
                throw invalid(field, "is set by the delivery and cannot be given");
            }
            if (!seen.add(name)) {
                throw invalid(field, "is given twice (header names ignore case)");
            }
            if (!(entry.getValue() instanceof JsonString string)) {
                throw invalid(field, "must be a string");
            }
            String text = string.getString();
            if (text.length() > MAX_HEADER_VALUE_LENGTH) {
                throw invalid(field, "must be at most " + MAX_HEADER_VALUE_LENGTH + " characters");
            }
            // CR or LF would let a value start a new header or the body (header injection)
            if (!text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
                throw invalid(field, "must be printable ASCII without CR, LF or other control characters");
            }
            headers.put(name, text);
        }
        return headers;
    }

    private static Optional<Duration> timeout(JsonValue value) {
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        // compared as BigDecimal: turning 1e999999999 into a BigInteger first would take the replica's memory
        if (!(value instanceof JsonNumber number)
                || !number.isIntegral()
                || number.bigDecimalValue().compareTo(BigDecimal.valueOf(MIN_TIMEOUT_MS)) < 0
                || number.bigDecimalValue().compareTo(BigDecimal.valueOf(MAX_TIMEOUT_MS)) > 0) {
            throw invalid(
                    "payload.timeoutMs", "must be an integer between " + MIN_TIMEOUT_MS + " and " + MAX_TIMEOUT_MS);
        }
        return Optional.of(Duration.ofMillis(number.longValue()));
    }

    static RefusedException invalid(String field, String problem) {
        return RefusedException.invalid(field, field + ": " + problem);
    }
}
