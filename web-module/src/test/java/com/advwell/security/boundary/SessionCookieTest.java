package com.advwell.security.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionCookieTest {

    @Test
    void theCookieIsHttpOnlyStrictAndSecureOnlyOverHttps() {
        assertThat(SessionCookie.set("abc", false)).isEqualTo("advwell_session=abc; Path=/; HttpOnly; SameSite=Strict");
        assertThat(SessionCookie.set("abc", true)).endsWith("; SameSite=Strict; Secure");
        assertThat(SessionCookie.clear(false))
                .contains("advwell_session=;")
                .contains("Max-Age=0")
                .contains("HttpOnly");
    }

    @Test
    void httpsIsTheRequestsSchemeOrTheProxysHeader() {
        assertThat(SessionCookie.secure("https", null)).isTrue();
        assertThat(SessionCookie.secure("http", "https")).isTrue();
        assertThat(SessionCookie.secure("http", "HTTPS, http")).isTrue();
        assertThat(SessionCookie.secure("http", "http")).isFalse();
        assertThat(SessionCookie.secure("http", null)).isFalse();
    }

    @Test
    void onlySafeMethodsGoWithoutACsrfToken() {
        assertThat(ApiKeyAuthenticationFilter.unsafe("GET")).isFalse();
        assertThat(ApiKeyAuthenticationFilter.unsafe("HEAD")).isFalse();
        assertThat(ApiKeyAuthenticationFilter.unsafe("OPTIONS")).isFalse();
        assertThat(ApiKeyAuthenticationFilter.unsafe("POST")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.unsafe("PUT")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.unsafe("PATCH")).isTrue();
        assertThat(ApiKeyAuthenticationFilter.unsafe("DELETE")).isTrue();
    }
}
