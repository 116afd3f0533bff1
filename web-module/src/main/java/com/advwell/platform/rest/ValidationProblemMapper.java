package com.advwell.platform.rest;

import jakarta.validation.ValidationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Takes precedence over the runtime's own mapper for Bean Validation failures, which would answer in its own format;
 * the rendering itself is {@link Problems}'.
 */
@Provider
public class ValidationProblemMapper implements ExceptionMapper<ValidationException> {

    @Override
    public Response toResponse(ValidationException failure) {
        return Problems.of(failure).toResponse();
    }
}
