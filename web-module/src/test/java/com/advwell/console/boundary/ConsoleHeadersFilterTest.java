package com.advwell.console.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleHeadersFilterTest {

    @Test
    void thePolicyAllowsOnlyTheReplicasOwnFilesAndNoFraming() {
        assertThat(ConsoleHeadersFilter.CSP)
                .contains(
                        "default-src 'self'",
                        "script-src 'self'",
                        "style-src 'self'",
                        "img-src 'self' data:",
                        "connect-src 'self'",
                        "frame-ancestors 'none'",
                        "base-uri 'none'",
                        "form-action 'self'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval")
                .doesNotContain("http")
                .doesNotContain("*");
    }

    @Test
    void onlyThePageItselfIsNeverCached() {
        assertThat(ConsoleHeadersFilter.isPage("/console/")).isTrue();
        assertThat(ConsoleHeadersFilter.isPage("/console/index.html")).isTrue();
        assertThat(ConsoleHeadersFilter.isPage("/console/app.js")).isFalse();
    }
}
