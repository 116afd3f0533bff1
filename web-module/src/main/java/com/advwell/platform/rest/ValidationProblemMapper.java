package com.advwell.platform.rest;

import jakarta.validation.ValidationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Exists only because the runtime registers its own mapper for Bean Validation's exceptions, which is closer to them
 * than {@link ProblemMapper}'s {@code Throwable} and would answer in its own format; this one is closer still. The
 * rendering itself is {@link Problems}', as for every other failure.
 */
@Provider
public class ValidationProblemMapper implements ExceptionMapper<ValidationException> {

    @Override
    public Response toResponse(ValidationException failure) {
        return Problems.of(failure).toResponse();
    }
}
