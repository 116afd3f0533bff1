package com.advwell.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    private static Settings of(Map<String, String> values) {
        return new Settings(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void defaultsApplyWhenUnsetOrBlank() {
        Settings s = of(Map.of("BLANK", "  "));
        assertThat(s.integer("MISSING", 15, 1, 500)).isEqualTo(15);
        assertThat(s.string("BLANK", "x")).isEqualTo("x");
        assertThat(s.bool("MISSING", true)).isTrue();
    }

    @Test
    void malformedValuesNameTheSetting() {
        Settings s = of(Map.of("DB_POOL_MAX", "lots", "ENABLE_CRON", "maybe", "LEADER_LEASE_MS", "0"));
        assertThatThrownBy(() -> s.integer("DB_POOL_MAX", 15, 1, 500))
                .hasMessageContaining("DB_POOL_MAX")
                .hasMessageContaining("lots");
        assertThatThrownBy(() -> s.bool("ENABLE_CRON", true)).hasMessageContaining("ENABLE_CRON");
        assertThatThrownBy(() -> s.millis("LEADER_LEASE_MS", 10000, 1000, 600000))
                .hasMessageContaining("between");
    }

    @Test
    void booleansAcceptCommonSpellings() {
        Settings s = of(Map.of("A", "FALSE", "B", "yes", "C", "0"));
        assertThat(s.bool("A", true)).isFalse();
        assertThat(s.bool("B", false)).isTrue();
        assertThat(s.bool("C", true)).isFalse();
    }

    @Test
    void secretsComeFromTheVariableOrFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cret\n");
        assertThat(of(Map.of("ADMIN_API_KEY", "direct")).secret("ADMIN_API_KEY"))
                .contains("direct");
        assertThat(of(Map.of("ADMIN_API_KEY_FILE", file.toString())).secret("ADMIN_API_KEY"))
                .contains("s3cret");
        assertThat(of(Map.of()).secret("ADMIN_API_KEY")).isEmpty();
        assertThatThrownBy(() -> of(Map.of(
                                "ADMIN_API_KEY_FILE", dir.resolve("none").toString()))
                        .secret("ADMIN_API_KEY"))
                .hasMessageContaining("ADMIN_API_KEY_FILE");
    }
}
