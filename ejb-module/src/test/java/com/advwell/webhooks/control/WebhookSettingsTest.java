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
        String secret = TestSecrets.randomWhsec();
        Path file = Files.writeString(dir.resolve("secret"), secret + "\n");
        WebhookSettings s = of(Map.of("WEBHOOK_SIGNING_SECRET_FILE", file.toString()));
        assertThat(s.signingSecret()).isPresent();
        assertThat(s.signingSecret().get().sameKeyAs(SigningSecret.parse("X", secret)))
                .isTrue();
        assertThat(s.signingKeys()).hasSize(1);
        assertThat(s.toString()).contains("enabled").doesNotContain(secret.substring(6, 20));
    }

    @Test
    void theKeyIsTheDecodedPartOfAWhsecSecret() {
        byte[] key = new byte[24];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7);
        }
        String encoded = java.util.Base64.getEncoder().encodeToString(key);
        assertThat(SigningSecret.parse("S", "whsec_" + encoded).key()).isEqualTo(key);
        assertThat(SigningSecret.parse("S", "whsec_" + encoded).toString()).isEqualTo("whsec_********");
    }

    @Test
    void aSecretNotInWhsecFormIsRefusedWithoutEchoingIt() {
        for (String bad : List.of(
                "s3cr3t-value-that-is-long-enough-to-be-a-key",
                // base64 alone: receivers' libraries would decode it, but we want one unambiguous form
                java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "whsec_not*base64!",
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[16]),
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[65]),
                "WHSEC_AAAA")) {
            assertThatThrownBy(() -> of(Map.of("WEBHOOK_SIGNING_SECRET", bad)))
                    .as(bad)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Invalid setting WEBHOOK_SIGNING_SECRET: ")
                    .hasMessageContaining("head -c 32 /dev/urandom")
                    .hasMessageNotContaining(bad);
        }
        assertThatThrownBy(() -> of(Map.of(
                        "WEBHOOK_SIGNING_SECRET",
                        "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("24 to 64 bytes, got 16");
    }

    @Test
    void aPreviousSecretSignsToo() {
        String current = TestSecrets.randomWhsec();
        String previous = TestSecrets.randomWhsec();
        WebhookSettings s = of(Map.of("WEBHOOK_SIGNING_SECRET", current, "WEBHOOK_SIGNING_SECRET_PREVIOUS", previous));
        assertThat(s.signingKeys()).hasSize(2);
        assertThat(s.signingKeys().get(0).sameKeyAs(SigningSecret.parse("X", current)))
                .isTrue();
        assertThat(s.signingKeys().get(1).sameKeyAs(SigningSecret.parse("X", previous)))
                .isTrue();
        assertThat(s.toString())
                .contains("WEBHOOK_SIGNING_SECRET_PREVIOUS")
                .doesNotContain(current.substring(6, 20))
                .doesNotContain(previous.substring(6, 20));

        assertThatThrownBy(() -> of(Map.of("WEBHOOK_SIGNING_SECRET_PREVIOUS", previous)))
                .as("a previous secret alone")
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("Invalid setting WEBHOOK_SIGNING_SECRET_PREVIOUS: is set but");
        assertThatThrownBy(
                        () -> of(Map.of("WEBHOOK_SIGNING_SECRET", current, "WEBHOOK_SIGNING_SECRET_PREVIOUS", current)))
                .hasMessageStartingWith("Invalid setting WEBHOOK_SIGNING_SECRET_PREVIOUS: is the same key");
        assertThatThrownBy(() -> of(
                        Map.of("WEBHOOK_SIGNING_SECRET", current, "WEBHOOK_SIGNING_SECRET_PREVIOUS", "old-raw-secret")))
                .hasMessageStartingWith("Invalid setting WEBHOOK_SIGNING_SECRET_PREVIOUS: must be written whsec_");
    }

    @Test
    void allowedDestinationsAreCidrsOfBothFamilies() throws Exception {
        WebhookSettings s = of(Map.of("WEBHOOK_ALLOWED_DESTINATIONS", "127.0.0.1/32, 10.0.0.0/8,::1/128,192.168.5.5"));
        assertThat(s.allowedDestinations())
                .extracting(Cidr::toString)
                .containsExactly("127.0.0.1/32", "10.0.0.0/8", "0:0:0:0:0:0:0:1/128", "192.168.5.5/32");
        assertThat(s.allowedDestinations().get(1).contains(InetAddress.getByName("10.200.3.4")))
                .isTrue();
        assertThat(s.allowedDestinations().get(1).contains(InetAddress.getByName("11.0.0.1")))
                .isFalse();
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
        assertThatThrownBy(() -> of(Map.of("WEBHOOK_TIMEOUT_MS", "99"))).hasMessageContaining("WEBHOOK_TIMEOUT_MS");
        assertThatThrownBy(() -> of(Map.of("WEBHOOK_TIMEOUT_MS", "60001"))).hasMessageContaining("WEBHOOK_TIMEOUT_MS");
    }
}
