package com.advwell.security.control;

import java.util.function.Function;

/** The one place that names the console sessions' Redis keys, under the deployment's prefix. */
public final class SessionKeys {

    private final Function<String[], String> key;

    /** @param key the deployment's key function, {@code Redis::key} ({@code <prefix>:<part>:<part>...}) */
    public SessionKeys(Function<String[], String> key) {
        this.key = key;
    }

    public static SessionKeys withPrefix(String prefix) {
        return new SessionKeys(parts -> prefix + ":" + String.join(":", parts));
    }

    /** Hash of one session, by the digest of its id ({@link SessionTokens#digest}). */
    public String session(String digest) {
        return key.apply(new String[] {"session", "s", digest});
    }

    /** Set of the session keys opened with one API key, so that revoking the key ends them. */
    public String byApiKey(String keyId) {
        return key.apply(new String[] {"session", "k", keyId});
    }
}
