package com.advwell.security.control;

import com.advwell.platform.config.Settings;
import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import com.advwell.platform.redis.Redis;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sign-in to the operator console: an API key is exchanged for a session kept in Redis ({@link SessionStore}), idle
 * expiry {@code CONSOLE_SESSION_IDLE_MINUTES}, absolute {@code CONSOLE_SESSION_MAX_HOURS}. The key itself is never
 * stored or logged; the session remembers the caller it resolved to. Revoking a key ends its sessions, on every
 * replica at once because they live in Redis.
 */
@ApplicationScoped
public class ConsoleSessions {

    private static final Logger LOG = Logger.getLogger(ConsoleSessions.class.getName());

    @Inject
    Redis redis;

    @Inject
    KnownCallers knownCallers;

    private SessionStore store;

    @PostConstruct
    void start() {
        Settings s = Settings.fromMicroProfileConfig();
        Duration idle = Duration.ofMinutes(s.integer("CONSOLE_SESSION_IDLE_MINUTES", 30, 1, 1440));
        Duration max = Duration.ofHours(s.integer("CONSOLE_SESSION_MAX_HOURS", 12, 1, 720));
        if (max.compareTo(idle) < 0) {
            idle = max;
        }
        store = new SessionStore(redis.client(), redis.keys().sessions(), idle, max);
    }

    /**
     * A new session for the holder of {@code apiKey}; {@code previousId}, the session the browser still had, is ended
     * first, so every sign-in gets a new id (no fixation).
     */
    public ConsoleSession signIn(String apiKey, String previousId) {
        if (apiKey == null || apiKey.isBlank()) {
            throw RefusedException.invalid("apiKey", "apiKey: must not be blank");
        }
        Caller caller = knownCallers
                .authenticate(apiKey.strip())
                .orElseThrow(() -> new RefusedException(
                        Refusal.UNAUTHENTICATED, "the API key is unknown or revoked", "apiKey", null));
        if (previousId != null) {
            store.end(previousId);
        }
        return store.create(caller);
    }

    public Optional<ConsoleSession> resume(String id) {
        return store.resume(id);
    }

    public void signOut(String id) {
        store.end(id);
    }

    void revoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeyRevoked event) {
        try {
            long ended = store.endAllOf(event.keyId());
            if (ended > 0) {
                LOG.info(() -> "API key " + event.keyId() + " revoked: ended its " + ended + " console session(s)");
            }
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "API key " + event.keyId() + " revoked but its console sessions could not be"
                            + " ended now; they end at their idle expiry (CONSOLE_SESSION_IDLE_MINUTES)",
                    e);
        }
    }
}
