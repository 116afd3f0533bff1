package com.advwell.security.boundary;

import com.advwell.security.control.Caller;
import com.advwell.security.control.KnownCallers;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads {@code Authorization: Bearer <api key>} and resolves the key through {@link KnownCallers}. It never answers by
 * itself: a missing or bad key leaves the request anonymous (with the reason noted), and {@link AuthorizationFilter}
 * answers 401 as {@code application/problem+json} for every resource that needs a caller.
 *
 * <p>A JAX-RS filter rather than a Jakarta Security {@code HttpAuthenticationMechanism}: nothing reads the container's
 * principal, and the JASPIC bridge in front of a mechanism cost a fifth of a cached request's CPU (a JNDI lookup of
 * the bean manager and a CDI lookup of the mechanism on every request; issue 12's profiles).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyAuthenticationFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationFilter.class.getName());
    private static final String BEARER = "bearer ";

    @Inject
    KnownCallers knownCallers;

    @Inject
    CurrentCaller currentCaller;

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            currentCaller.rejected("no API key: send Authorization: Bearer <key>");
            return;
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            currentCaller.rejected("the Authorization header must use the Bearer scheme");
            return;
        }
        Optional<Caller> caller;
        try {
            caller = knownCallers.authenticate(header.substring(BEARER.length()).strip());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "API key validation failed", e);
            currentCaller.unavailable("authentication is temporarily unavailable; retry shortly");
            return;
        }
        caller.ifPresentOrElse(currentCaller::authenticated,
                () -> currentCaller.rejected("the API key is unknown or revoked"));
    }
}
