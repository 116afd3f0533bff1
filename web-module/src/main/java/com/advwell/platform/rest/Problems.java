package com.advwell.platform.rest;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The one place where a failure becomes a problem document. Callers get the field at fault and never a stack trace;
 * unexpected failures are logged with an id the caller can quote.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());
    private static final Pattern QUOTED_PROPERTY = Pattern.compile("[Pp]roperty:? '?([A-Za-z0-9_$]+)'?");

    private Problems() {}

    /** Errors that pass with a failover: no connection, or a node that is not (or not yet) a writable master. */
    static boolean redisUnavailable(Throwable t) {
        if (find(t, JedisConnectionException.class) != null) {
            return true;
        }
        JedisDataException data = find(t, JedisDataException.class);
        String m = data == null || data.getMessage() == null ? "" : data.getMessage();
        return m.startsWith("READONLY")
                || m.startsWith("LOADING")
                || m.startsWith("MASTERDOWN")
                || m.startsWith("NOREPLICAS")
                || m.startsWith("TRYAGAIN");
    }

    public static Problem of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof RefusedException r) {
            return refused(r);
        }
        PayloadTooLargeException tooLarge = find(t, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return new Problem(
                    413, "payload-too-large", "Payload too large", tooLarge.getMessage(), tooLarge.field(), null);
        }
        if (t instanceof ConstraintViolationException cve) {
            return validation(cve);
        }
        JsonParsingException parsing = find(t, JsonParsingException.class);
        if (parsing != null) {
            return new Problem(
                    400,
                    "malformed-json",
                    "Malformed JSON",
                    "the body is not valid JSON: " + parsing.getMessage(),
                    "body",
                    null);
        }
        JsonbException binding = find(t, JsonbException.class);
        if (binding != null) {
            return jsonBinding(binding);
        }
        if (t instanceof WebApplicationException wae) {
            return web(wae);
        }
        if (redisUnavailable(t)) {
            // a failover in progress or Redis unreachable: the request may be repeated, it was not half done
            return new Problem(
                    503,
                    "redis-unavailable",
                    "Redis unavailable",
                    "Redis is not reachable or is failing over; try again shortly",
                    null,
                    1);
        }
        if (find(t, OptimisticLockException.class) != null) {
            // two requests changed the same row at once (found by the contract fuzzer: pause and resume of one
            // schedule); the loser's transaction rolled back, nothing is half done
            return refused(
                    Refusal.CONFLICT,
                    "the resource was changed or deleted by another request at the same time;"
                            + " read it again and retry",
                    null,
                    null);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected failure " + errorId, t);
        return new Problem(
                500,
                "internal",
                "Internal error",
                "the request failed unexpectedly; quote error id " + errorId + " to the operators",
                null,
                null);
    }

    /** How each refusal of the domain is told: its status, problem type and title. */
    static Problem refused(RefusedException e) {
        return refused(e.refusal(), e.getMessage(), e.field(), e.retryAfterSeconds());
    }

    private static Problem refused(Refusal refusal, String detail, String field, Integer retryAfterSeconds) {
        return switch (refusal) {
            case INVALID -> new Problem(400, "invalid-field", "Invalid field", detail, field, retryAfterSeconds);
            case WEBHOOKS_DISABLED ->
                new Problem(400, "webhooks-disabled", "Webhooks are disabled", detail, field, retryAfterSeconds);
            case UNAUTHENTICATED ->
                new Problem(401, "unauthenticated", "Unauthenticated", detail, field, retryAfterSeconds);
            case NOT_FOUND -> new Problem(404, "not-found", "Not found", detail, field, retryAfterSeconds);
            case UNKNOWN_QUEUE -> new Problem(404, "unknown-queue", "Unknown queue", detail, field, retryAfterSeconds);
            case CONFLICT -> new Problem(409, "conflict", "Conflict", detail, field, retryAfterSeconds);
            case WRONG_STATE -> new Problem(409, "wrong-state", "Conflict", detail, field, retryAfterSeconds);
            case LOCK_LOST -> new Problem(409, "lock-lost", "Conflict", detail, field, retryAfterSeconds);
            case TOO_LARGE ->
                new Problem(413, "payload-too-large", "Payload too large", detail, field, retryAfterSeconds);
            // nothing was acknowledged: adding again, with the same ids, is safe
            case NOT_DURABLE ->
                new Problem(
                        503,
                        "not-durable",
                        "Not confirmed by a Redis replica",
                        detail + "; retry with the same job ids",
                        field,
                        retryAfterSeconds);
            case UNAVAILABLE ->
                new Problem(503, "unavailable", "Service unavailable", detail, field, retryAfterSeconds);
        };
    }

    static Problem jsonBinding(JsonbException e) {
        StringBuilder messages = new StringBuilder();
        String field = null;
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m == null) {
                continue;
            }
            if (messages.length() > 0) {
                messages.append(": ");
            }
            messages.append(m);
            Matcher matcher = QUOTED_PROPERTY.matcher(m);
            if (field == null && matcher.find()) {
                field = matcher.group(1);
            }
            if (c instanceof JsonParsingException) {
                return new Problem(
                        400, "malformed-json", "Malformed JSON", "the body is not valid JSON: " + m, "body", null);
            }
        }
        String detail = field == null
                ? "the body does not match the expected JSON: " + messages
                : "field '" + field + "' has the wrong type or is not allowed: " + messages;
        return new Problem(400, "invalid-field", "Invalid field", detail, field == null ? "body" : field, null);
    }

    private static Problem validation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElse(null);
        if (first == null) {
            return new Problem(400, "invalid-field", "Invalid field", e.getMessage(), null, null);
        }
        String field = leaf(first.getPropertyPath());
        return new Problem(400, "invalid-field", "Invalid field", "'" + field + "' " + first.getMessage(), field, null);
    }

    private static String leaf(Path path) {
        String name = null;
        for (Path.Node node : path) {
            if (node.getName() != null
                    && node.getKind() != jakarta.validation.ElementKind.METHOD
                    && node.getKind() != jakarta.validation.ElementKind.PARAMETER) {
                name = node.getName();
            } else if (node.getKind() == jakarta.validation.ElementKind.PARAMETER && name == null) {
                name = node.getName();
            }
        }
        return name == null ? "body" : name;
    }

    private static Problem web(WebApplicationException e) {
        String parameter = parameterName(e);
        if (parameter != null) {
            // the runtime answers 404 for a query parameter it cannot convert; the caller needs 400 and the name
            return new Problem(
                    400, "invalid-field", "Invalid field", "'" + parameter + "' has the wrong type", parameter, null);
        }
        if (e instanceof jakarta.ws.rs.BadRequestException
                && (e.getCause() == null
                        || e.getMessage() == null
                        || e.getMessage().startsWith("HTTP 400"))) {
            return new Problem(
                    400, "invalid-body", "Invalid body", "the request body is missing or unreadable", "body", null);
        }
        int status = e.getResponse().getStatus();
        String detail = e instanceof NotAllowedException
                ? "method not allowed on this resource"
                : e instanceof NotSupportedException
                        ? "send the body as application/json"
                        : status == 404 ? "no such resource" : e.getMessage();
        if (status >= 500) {
            LOG.log(Level.WARNING, "request failed with " + status, e);
        }
        return ofStatus(status, detail);
    }

    /**
     * A problem for an error status the container chose (no such path, a method or media type it refuses, a request
     * it could not parse): the status, its standard title and a fixed detail, never the container's own message.
     */
    public static Problem ofStatus(int status) {
        String detail = switch (status) {
            case 400 -> "the request is malformed";
            case 401 -> "no API key: send Authorization: Bearer <key>";
            case 403 -> "not allowed";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "the resource cannot answer in a media type the request accepts";
            case 408 -> "the request took too long to arrive";
            case 411 -> "send Content-Length";
            case 413 -> "the request body is too large";
            case 414 -> "the request URI is too long";
            case 415 -> "send the body as application/json";
            case 431 -> "the request headers are too large";
            case 503 -> "the service is not available; try again shortly";
            default -> status >= 500 ? "the request failed unexpectedly" : "the request cannot be served";
        };
        return ofStatus(status, detail);
    }

    private static Problem ofStatus(int status, String detail) {
        String type = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return new Problem(status, type, title, detail, null, null);
    }

    /** The parameter named by the runtime's parameter-conversion failure (Jersey's ParamException), if that is what this is. */
    private static String parameterName(WebApplicationException e) {
        if (!e.getClass().getName().contains("ParamException")) {
            return null;
        }
        try {
            Object name = e.getClass().getMethod("getParameterName").invoke(e);
            return name == null ? null : name.toString();
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current instanceof EJBException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
