package com.advwell.security.boundary;

import com.advwell.security.control.Caller;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The authenticated caller of the current request, set by {@link ApiKeyAuthenticationFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;
    private String rejection;
    private boolean unavailable;

    void authenticated(Caller caller) {
        this.caller = caller;
    }

    void rejected(String reason) {
        this.rejection = reason;
    }

    /** Authentication could not be attempted (PostgreSQL unreachable): the caller should retry, not fix its key. */
    void unavailable(String reason) {
        this.rejection = reason;
        this.unavailable = true;
    }

    boolean isUnavailable() {
        return unavailable;
    }

    public Optional<Caller> get() {
        return Optional.ofNullable(caller);
    }

    /** The caller, for resources that require authentication (the authorization filter guarantees one). */
    public Caller require() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller");
        }
        return caller;
    }

    Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }
}
