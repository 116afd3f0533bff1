package com.advwell.platform.rest;

import java.io.IOException;

/** A request body longer than {@code REQUEST_MAX_BYTES}, detected while it is read. */
public class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(long limit) {
        super("the request body exceeds " + limit + " bytes");
    }
}
