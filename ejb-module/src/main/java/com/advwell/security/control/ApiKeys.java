package com.advwell.security.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key material. A key is 256 random bits ({@code aw_} + 43 base64url characters); what is stored is its SHA-256
 * digest and a public id derived from that digest, so a key is found by one indexed lookup and compared in constant
 * time. A fast hash is enough here because keys are random, not chosen by people.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_TOKEN_LENGTH = 512;

    private ApiKeys() {}

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "aw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Hex SHA-256 of the whole key. */
    public static String digest(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's public id: the first 16 hex characters of its digest (64 bits, enough to index, not to forge). */
    public static String idOf(String key) {
        return idOfDigest(digest(key));
    }

    /** The public id of the key with this digest (so a presented key is hashed once per request). */
    public static String idOfDigest(String digest) {
        return digest.substring(0, 16);
    }

    /** Constant-time comparison of a presented key's digest with a stored one. */
    public static boolean sameDigest(String presentedDigest, String storedDigest) {
        return MessageDigest.isEqual(
                presentedDigest.getBytes(StandardCharsets.US_ASCII), storedDigest.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a presented token is worth a database lookup at all. */
    public static boolean plausible(String token) {
        return token != null
                && token.length() >= 16
                && token.length() <= MAX_TOKEN_LENGTH
                && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
