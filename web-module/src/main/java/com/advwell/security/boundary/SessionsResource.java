package com.advwell.security.boundary;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import com.advwell.security.control.ConsoleSession;
import com.advwell.security.control.ConsoleSessions;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The operator console's sign-in: an API key in a POST body is exchanged for a session cookie, which then
 * authenticates {@code /api} like the key would ({@link ApiKeyAuthenticationFilter}). Open to anonymous callers;
 * each operation decides what a missing session means.
 */
@ApplicationScoped
@Path("session")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class SessionsResource {

    @Inject
    ConsoleSessions sessions;

    @Inject
    CurrentCaller currentCaller;

    @POST
    public Response signIn(Requests.SessionRequest body, @Context HttpHeaders headers, @Context UriInfo uri) {
        Cookie previous = headers.getCookies().get(SessionCookie.NAME);
        ConsoleSession session =
                sessions.signIn(body == null ? null : body.apiKey(), previous == null ? null : previous.getValue());
        return Response.created(uri.getAbsolutePath())
                .entity(Views.SessionView.of(session))
                .header(HttpHeaders.SET_COOKIE, SessionCookie.set(session.id(), secure(headers, uri)))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    @GET
    public Response current() {
        if (currentCaller.isUnavailable()) {
            throw RefusedException.unavailable(currentCaller.rejection().orElse("retry shortly"), 2);
        }
        ConsoleSession session = currentCaller
                .session()
                .orElseThrow(() -> new RefusedException(
                        Refusal.UNAUTHENTICATED,
                        currentCaller.rejection().orElse("no console session: sign in"),
                        null,
                        null));
        return Response.ok(Views.SessionView.of(session))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** Ends the session everywhere (it lives in Redis) and clears the cookie; without a session there is nothing to end. */
    @DELETE
    public Response signOut(@Context HttpHeaders headers, @Context UriInfo uri) {
        currentCaller.session().ifPresent(s -> sessions.signOut(s.id()));
        return Response.noContent()
                .header(HttpHeaders.SET_COOKIE, SessionCookie.clear(secure(headers, uri)))
                .build();
    }

    private static boolean secure(HttpHeaders headers, UriInfo uri) {
        return SessionCookie.secure(uri.getRequestUri().getScheme(), headers.getHeaderString("X-Forwarded-Proto"));
    }
}
