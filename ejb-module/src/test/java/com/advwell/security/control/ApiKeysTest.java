package com.advwell.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void keysAreRandomUrlSafeAnd256Bits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).startsWith("aw_").hasSize(46).matches("aw_[A-Za-z0-9_-]{43}");
            assertThat(seen.add(key)).isTrue();
        }
    }

    @Test
    void onlyTheDigestAndAnIdDerivedFromItAreStored() {
        String key = ApiKeys.generate();
        String digest = ApiKeys.digest(key);
        assertThat(digest).hasSize(64).doesNotContain(key.substring(3));
        assertThat(ApiKeys.idOf(key)).isEqualTo(digest.substring(0, 16)).isEqualTo(ApiKeys.idOfDigest(digest));
        assertThat(ApiKeys.sameDigest(ApiKeys.digest(key), digest)).isTrue();
        assertThat(ApiKeys.sameDigest(ApiKeys.digest(key + "x"), digest)).isFalse();
        assertThat(ApiKeys.sameDigest(ApiKeys.digest(ApiKeys.generate()), digest))
                .isFalse();
    }

    @Test
    void implausibleTokensAreRejectedBeforeAnyLookup() {
        assertThat(ApiKeys.plausible(null)).isFalse();
        assertThat(ApiKeys.plausible("short")).isFalse();
        assertThat(ApiKeys.plausible("x".repeat(600))).isFalse();
        assertThat(ApiKeys.plausible("aw_with space inside the token")).isFalse();
        assertThat(ApiKeys.plausible(ApiKeys.generate())).isTrue();
    }
}
