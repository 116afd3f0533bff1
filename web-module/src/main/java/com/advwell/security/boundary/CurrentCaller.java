package com.advwell.security.boundary;

import com.advwell.security.control.Caller;
import com.advwell.security.control.ConsoleSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The authenticated caller of the current request, set by {@link ApiKeyAuthenticationFilter}. What it knows lives in
 * an attribute of the request, not in a request-scoped bean: creating such a bean on every request cost more than the
 * rest of authentication (Payara's resource injection runs for each instance).
 */
@ApplicationScoped
public class CurrentCaller {

    private static final String ATTRIBUTE = CurrentCaller.class.getName();

    /** What authentication found out about one request. */
    private static final class State {
        Caller caller;
        ConsoleSession session;
        String rejection;
        boolean unavailable;
    }

    @Inject
    HttpServletRequest request;

    private State state() {
        State s = (State) request.getAttribute(ATTRIBUTE);
        if (s == null) {
            s = new State();
            request.setAttribute(ATTRIBUTE, s);
        }
        return s;
    }

    void authenticated(Caller caller) {
        state().caller = caller;
    }

    /** Authenticated by a console session cookie (not by a bearer key). */
    void signedIn(ConsoleSession session) {
        State s = state();
        s.caller = session.caller();
        s.session = session;
    }

    /** The console session that authenticated this request, if the cookie did. */
    public Optional<ConsoleSession> session() {
        return Optional.ofNullable(state().session);
    }

    void rejected(String reason) {
        state().rejection = reason;
    }

    /** Authentication could not be attempted (PostgreSQL unreachable): the caller should retry, not fix its key. */
    void unavailable(String reason) {
        State s = state();
        s.rejection = reason;
        s.unavailable = true;
    }

    boolean isUnavailable() {
        return state().unavailable;
    }

    public Optional<Caller> get() {
        return Optional.ofNullable(state().caller);
    }

    /** The caller, for resources that require authentication (the authorization filter guarantees one). */
    public Caller require() {
        Caller caller = state().caller;
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller");
        }
        return caller;
    }

    Optional<String> rejection() {
        return Optional.ofNullable(state().rejection);
    }
}
