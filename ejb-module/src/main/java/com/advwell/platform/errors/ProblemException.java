package com.advwell.platform.errors;

import jakarta.ejb.ApplicationException;
import java.util.Optional;

/**
 * A failure the caller can act on, carrying what an RFC 9457 problem needs: HTTP status, a stable type, a title, the
 * detail and, when one field is at fault, its name. The single exception mapper in the web module renders it.
 */
@ApplicationException(rollback = true)
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String field;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String type, String title, String detail, String field, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(400, "invalid-field", "Invalid field", detail, field, null);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", what + " '" + id + "' does not exist", null, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null, null);
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "unavailable", "Service unavailable", detail, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<Integer> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
