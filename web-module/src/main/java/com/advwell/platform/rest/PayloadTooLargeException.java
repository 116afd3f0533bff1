package com.advwell.platform.rest;

import java.io.IOException;

/**
 * A request body longer than its limit ({@code REQUEST_MAX_BYTES}, or a job add's own), detected before or while it
 * is read; {@link #field()} is what the caller should make smaller.
 */
public class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public PayloadTooLargeException(long limit) {
        this(limit, "body", "");
    }

    public PayloadTooLargeException(long limit, String field, String hint) {
        super("the request body exceeds " + limit + " bytes" + hint);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
