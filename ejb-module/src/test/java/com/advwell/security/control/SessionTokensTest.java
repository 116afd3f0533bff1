package com.advwell.security.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    @Test
    void tokensAre256RandomBitsInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = SessionTokens.generate();
            assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            assertThat(SessionTokens.plausible(t)).isTrue();
            assertThat(seen.add(t)).isTrue();
        }
    }

    @Test
    void implausibleIdsAreRejectedWithoutARoundTrip() {
        assertThat(SessionTokens.plausible(null)).isFalse();
        assertThat(SessionTokens.plausible("")).isFalse();
        assertThat(SessionTokens.plausible("a".repeat(42))).isFalse();
        assertThat(SessionTokens.plausible("a".repeat(44))).isFalse();
        assertThat(SessionTokens.plausible("a".repeat(42) + "=")).isFalse();
        assertThat(SessionTokens.plausible("a".repeat(42) + ":")).isFalse();
    }

    @Test
    void redisKnowsASessionByItsDigestOnly() {
        String id = SessionTokens.generate();
        assertThat(SessionTokens.digest(id)).hasSize(64).doesNotContain(id).isEqualTo(SessionTokens.digest(id));
    }

    @Test
    void csrfTokensCompareExactly() {
        String t = SessionTokens.generate();
        assertThat(SessionTokens.sameToken(t, t)).isTrue();
        assertThat(SessionTokens.sameToken(new String(t), t)).isTrue();
        assertThat(SessionTokens.sameToken(t.substring(1), t)).isFalse();
        assertThat(SessionTokens.sameToken(null, t)).isFalse();
        assertThat(SessionTokens.sameToken("", t)).isFalse();
        assertThat(SessionTokens.sameToken(t, null)).isFalse();
    }

    @Test
    void sessionKeysStayUnderThePrefix() {
        SessionKeys keys = SessionKeys.withPrefix("p");
        assertThat(keys.session("abc")).isEqualTo("p:session:s:abc");
        assertThat(keys.byApiKey("k1")).isEqualTo("p:session:k:k1");
    }
}
