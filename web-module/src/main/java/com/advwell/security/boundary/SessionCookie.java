package com.advwell.security.boundary;

/**
 * The console session cookie's {@code Set-Cookie} values. Written by hand rather than with {@code NewCookie}, whose
 * {@code SameSite} support and attribute order vary between JAX-RS implementations: the contract asks for exactly
 * {@code HttpOnly; SameSite=Strict}, plus {@code Secure} when the page came over HTTPS (directly or behind a proxy
 * that says so in {@code X-Forwarded-Proto}).
 */
final class SessionCookie {

    static final String NAME = "advwell_session";

    private SessionCookie() {}

    static String set(String sessionId, boolean secure) {
        return NAME + "=" + sessionId + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    static String clear(boolean secure) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Whether the browser reached us over HTTPS: the request's own scheme or the edge proxy's header. */
    static boolean secure(String scheme, String forwardedProto) {
        return "https".equalsIgnoreCase(scheme)
                || (forwardedProto != null && "https".equalsIgnoreCase(forwardedProto.split(",")[0].strip()));
    }
}
