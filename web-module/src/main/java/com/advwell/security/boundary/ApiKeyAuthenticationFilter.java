package com.advwell.security.boundary;

import com.advwell.platform.rest.Problem;
import com.advwell.security.control.Caller;
import com.advwell.security.control.ConsoleSession;
import com.advwell.security.control.ConsoleSessions;
import com.advwell.security.control.KnownCallers;
import com.advwell.security.control.SessionTokens;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
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
 *
 * <p>Without an {@code Authorization} header, the operator console's session cookie may authenticate instead
 * ({@link ConsoleSessions}); then every unsafe method must carry the session's CSRF token in {@code X-CSRF-Token},
 * or the request is refused here with 403. Cookies are only looked at when there is no header, so a bearer request
 * costs exactly what it did. Sign-in itself ({@code POST /api/session}) is not authenticated by a cookie: it
 * replaces whatever session the browser had.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyAuthenticationFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationFilter.class.getName());
    private static final String BEARER = "bearer ";
    static final String CSRF_HEADER = "X-CSRF-Token";

    @Inject
    KnownCallers knownCallers;

    @Inject
    CurrentCaller currentCaller;

    @Inject
    ConsoleSessions sessions;

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            Cookie cookie = request.getCookies().get(SessionCookie.NAME);
            if (cookie != null && !isSignIn(request)) {
                bySession(request, cookie.getValue());
                return;
            }
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
        caller.ifPresentOrElse(
                currentCaller::authenticated, () -> currentCaller.rejected("the API key is unknown or revoked"));
    }

    private void bySession(ContainerRequestContext request, String sessionId) {
        Optional<ConsoleSession> session;
        try {
            session = sessions.resume(sessionId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "console session lookup failed", e);
            currentCaller.unavailable("sessions are temporarily unavailable; retry shortly");
            return;
        }
        if (session.isEmpty()) {
            currentCaller.rejected("the console session expired or was ended; sign in again");
            return;
        }
        if (unsafe(request.getMethod())
                && !SessionTokens.sameToken(
                        request.getHeaderString(CSRF_HEADER), session.get().csrfToken())) {
            request.abortWith(new Problem(
                            403,
                            "csrf",
                            "Forbidden",
                            "the CSRF token is missing or wrong: send the" + " session's csrfToken in " + CSRF_HEADER
                                    + " with every state-changing call",
                            CSRF_HEADER,
                            null)
                    .toResponse());
            return;
        }
        currentCaller.signedIn(session.get());
    }

    static boolean unsafe(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    private static boolean isSignIn(ContainerRequestContext request) {
        return "POST".equals(request.getMethod())
                && "session".equals(stripSlash(request.getUriInfo().getPath()));
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
