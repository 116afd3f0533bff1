package com.advwell.webhooks.control;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh signing secrets for tests, in the whsec_ form the settings accept. */
final class TestSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestSecrets() {}

    static String randomWhsec() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static SigningSecret random() {
        return SigningSecret.parse("TEST_SECRET", randomWhsec());
    }
}
