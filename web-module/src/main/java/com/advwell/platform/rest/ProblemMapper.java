package com.advwell.platform.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The one mapper: every failure of a request, the domain's {@code RefusedException}s first among them, becomes a
 * problem document (see {@link Problems}).
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable failure) {
        return Problems.of(failure).toResponse();
    }
}
