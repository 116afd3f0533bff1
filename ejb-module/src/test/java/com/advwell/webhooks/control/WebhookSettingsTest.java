package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.config.InvalidSettingException;
import com.advwell.platform.config.Settings;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSettingsTest {

    private static WebhookSettings of(Map<String, String> values) {
        return WebhookSettings.from(new Settings(name -> Optional.ofNullable(values.get(name))));
    }

    @Test
    void disabledWithoutASecretAndNothingPrivateAllowedByDefault() {
        WebhookSettings s = of(Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.allowedDestinations()).isEmpty();
    }

    @Test
    void secretFromAFileAndNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "s3cr3t-value\n");
        WebhookSettings s = of(Map.of("WEBHOOK_SIGNING_SECRET_FILE", file.toString()));
        assertThat(s.signingSecret()).contains("s3cr3t-value");
        assertThat(s.toString()).contains("enabled").doesNotContain("s3cr3t");
    }

    @Test
    void allowedDestinationsAreCidrsOfBothFamilies() throws Exception {
        WebhookSettings s = of(Map.of("WEBHOOK_ALLOWED_DESTINATIONS", "127.0.0.1/32, 10.0.0.0/8,::1/128,192.168.5.5"));
        assertThat(s.allowedDestinations()).extracting(Cidr::toString)
                .containsExactly("127.0.0.1/32", "10.0.0.0/8", "0:0:0:0:0:0:0:1/128", "192.168.5.5/32");
        assertThat(s.allowedDestinations().get(1).contains(InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(s.allowedDestinations().get(1).contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    }

    @Test
    void badEntriesNameTheSetting() {
        for (String bad : List.of("10.0.0.0/33", "localhost/32", "10.0.0.0/x", "10.1.0.0/8", "::1/129", "1.2.3")) {
            assertThatThrownBy(() -> of(Map.of("WEBHOOK_ALLOWED_DESTINATIONS", "127.0.0.1/32," + bad)))
                    .as(bad)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Invalid setting WEBHOOK_ALLOWED_DESTINATIONS: ");
        }
        assertThatThrownBy(() -> of(Map.of("WEBHOOK_ALLOWED_DESTINATIONS", "10.1.0.0/8")))
                .hasMessageContaining("did you mean 10.0.0.0/8?");
    }

    @Test
    void timeoutIsBounded() {
        assertThat(of(Map.of("WEBHOOK_TIMEOUT_MS", "250")).timeout()).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> of(Map.of("WEBHOOK_TIMEOUT_MS", "99")))
                .hasMessageContaining("WEBHOOK_TIMEOUT_MS");
        assertThatThrownBy(() -> of(Map.of("WEBHOOK_TIMEOUT_MS", "60001")))
                .hasMessageContaining("WEBHOOK_TIMEOUT_MS");
    }
}
