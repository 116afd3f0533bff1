package com.advwell.security.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Console session ids and CSRF tokens: 256 random bits each, base64url without padding (43 characters). Redis keeps
 * a session under the SHA-256 of its id, so whoever reads Redis (a dump, {@code MONITOR}, {@code SCAN} in an
 * operator's tool) learns no id a browser could present; the CSRF token is kept as it is, because it is no
 * credential alone (it is only accepted together with the HttpOnly cookie) and the page must get it back on reload.
 */
public final class SessionTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int LENGTH = 43;

    private SessionTokens() {}

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether a presented session id could be one we made, so that junk never costs a Redis round trip. */
    public static boolean plausible(String token) {
        if (token == null || token.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** What Redis knows a session by. */
    public static String digest(String sessionId) {
        return ApiKeys.digest(sessionId);
    }

    /** Constant-time comparison of a presented CSRF token with the session's; false when either is missing. */
    public static boolean sameToken(String presented, String expected) {
        if (presented == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
