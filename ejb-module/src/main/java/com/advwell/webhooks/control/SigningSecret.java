package com.advwell.webhooks.control;

import com.advwell.platform.config.InvalidSettingException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A webhook signing key written the Standard Webhooks way, {@code whsec_<base64 of 24-64 random bytes>}: the form
 * receivers paste into {@code new Webhook(secret)} of the {@code standardwebhooks} libraries, which HMAC with the
 * decoded bytes. Any other form is refused when the setting is read: a secret without the prefix would be used as
 * raw bytes by us but base64-decoded by receivers' libraries, and no signature would ever verify.
 */
public final class SigningSecret {

    static final String PREFIX = "whsec_";
    static final int MIN_BYTES = 24;
    static final int MAX_BYTES = 64;
    /** What the operator should run; in every refusal, since the value itself is never echoed. */
    static final String HOW_TO_MAKE = "generate one with: printf 'whsec_%s' \"$(head -c 32 /dev/urandom | base64)\"";

    private final byte[] key;

    private SigningSecret(byte[] key) {
        this.key = key;
    }

    /** The secret of setting {@code name}; the message of a refusal names the setting, never the value. */
    public static SigningSecret parse(String name, String value) {
        if (!value.startsWith(PREFIX)) {
            throw new InvalidSettingException(
                    name,
                    "must be written whsec_<base64> (Standard Webhooks), so that "
                            + "receivers' libraries decode the same key; " + HOW_TO_MAKE);
        }
        byte[] decoded;
        try {
            // the basic alphabet only (with or without padding), as the standardwebhooks libraries decode it
            decoded = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, "the part after whsec_ is not valid base64; " + HOW_TO_MAKE);
        }
        if (decoded.length < MIN_BYTES || decoded.length > MAX_BYTES) {
            throw new InvalidSettingException(
                    name,
                    "must decode to " + MIN_BYTES + " to " + MAX_BYTES + " bytes, got " + decoded.length + "; "
                            + HOW_TO_MAKE);
        }
        return new SigningSecret(decoded);
    }

    /** The HMAC key: the decoded bytes (a copy). */
    byte[] key() {
        return key.clone();
    }

    /** Same key, compared in constant time. */
    boolean sameKeyAs(SigningSecret other) {
        return MessageDigest.isEqual(key, other.key);
    }

    /** Never the key: settings and outcomes are logged. */
    @Override
    public String toString() {
        return "whsec_********";
    }
}
