package com.advwell.webhooks.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.webhooks.control.DestinationGuard.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationGuardTest {

    private final DestinationGuard guard = new DestinationGuard(List.of());

    private static String refusal(DestinationGuard guard, String url) {
        Verdict verdict = guard.check(URI.create(url));
        assertThat(verdict).as(url).isInstanceOf(Verdict.Refused.class);
        return ((Verdict.Refused) verdict).reason();
    }

    @Test
    void refusalNamesTheAddressAndTheSettingThatWouldAllowIt() {
        assertThat(refusal(guard, "http://127.0.0.1:8080/hook"))
                .isEqualTo("destination 127.0.0.1 is a loopback address; allow it with WEBHOOK_ALLOWED_DESTINATIONS");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://localhost/                 | is a loopback address",
                "http://[::1]/                     | is a loopback address",
                "http://127.9.9.9/                 | is a loopback address",
                "http://10.1.2.3/                  | is a private address",
                "http://172.16.0.1/                | is a private address",
                "http://172.31.255.255/            | is a private address",
                "http://192.168.1.1/               | is a private address",
                "http://169.254.169.254/latest/    | is a link-local address",
                "http://100.64.0.1/                | is a carrier-grade NAT address",
                "http://0.0.0.0/                   | is an unspecified (this-network) address",
                "http://0.1.2.3/                   | is an unspecified (this-network) address",
                "http://[::]/                      | is an unspecified address",
                "http://224.0.0.1/                 | is a multicast address",
                "http://255.255.255.255/           | is a reserved or broadcast address",
                "http://[fe80::1]/                 | is a link-local address",
                "http://[fd12:3456::1]/            | is a private (unique local) address",
                "http://[ff02::1]/                 | is a multicast address",
                "http://[::ffff:127.0.0.1]/        | is a loopback address",
                "http://[::ffff:10.0.0.1]/         | is a private address",
                "http://[64:ff9b::a9fe:a9fe]/      | is a link-local address (169.254.169.254 embedded in IPv6)",
                "http://[::7f00:1]/                | is an IPv4-compatible (deprecated) address",
                "http://2130706433/                | is an IP address in a non-standard form",
                "http://0177.0.0.1/                | is an IP address in a non-standard form",
                "http://0x7f.1/                    | has no valid host",
                "http://127.1/                     | has no valid host",
                "ftp://93.184.216.34/              | must be an absolute http or https URL, not ftp",
                "/relative/path                    | must be an absolute http or https URL",
                "http://user:pw@93.184.216.34/     | must not contain user info",
                "http://93.184.216.34:0/           | port must be between 1 and 65535",
                "http://93.184.216.34:70000/       | port must be between 1 and 65535"
            })
    void refusesNonPublicDestinationsAndOddForms(String url, String reason) {
        assertThat(refusal(guard, url)).contains(reason);
    }

    @Test
    void allowsPublicLiteralsWithoutNetwork() {
        assertThat(guard.check(URI.create("https://93.184.216.34/hook"))).isInstanceOf(Verdict.Allowed.class);
        assertThat(guard.check(URI.create("https://[2606:2800:220:1:248:1893:25c8:1946]:8443/")))
                .isInstanceOf(Verdict.Allowed.class);
        assertThat(guard.check(URI.create("http://172.32.0.1/")))
                .as("just outside 172.16/12")
                .isInstanceOf(Verdict.Allowed.class);
        assertThat(guard.check(URI.create("http://100.128.0.1/")))
                .as("just outside 100.64/10")
                .isInstanceOf(Verdict.Allowed.class);
    }

    @Test
    void allowedRangesOpenExactlyThoseAddresses() {
        DestinationGuard loopbackAllowed = new DestinationGuard(List.of(Cidr.parse("127.0.0.0/8")));
        assertThat(loopbackAllowed.check(URI.create("http://127.0.0.1:9000/"))).isInstanceOf(Verdict.Allowed.class);
        assertThat(loopbackAllowed.check(URI.create("http://[::ffff:127.0.0.1]/")))
                .isInstanceOf(Verdict.Allowed.class);
        assertThat(refusal(loopbackAllowed, "http://10.0.0.1/")).contains("private");
        assertThat(refusal(loopbackAllowed, "http://[::1]/"))
                .as("IPv6 loopback is another range")
                .contains("loopback");

        DestinationGuard oneHost = new DestinationGuard(List.of(Cidr.parse("127.0.0.1/32")));
        assertThat(oneHost.check(URI.create("http://127.0.0.1/"))).isInstanceOf(Verdict.Allowed.class);
        assertThat(refusal(oneHost, "http://127.0.0.2/")).contains("loopback");
    }

    @Test
    void refusesWhenAnyResolvedAddressIsPrivate() throws UnknownHostException {
        Map<String, InetAddress[]> dns = Map.of(
                "mixed.example",
                        new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")},
                "public.example", new InetAddress[] {InetAddress.getByName("93.184.216.34")},
                // a resolver may hand back an IPv4-mapped address still typed as IPv6
                "mapped.example",
                        new InetAddress[] {
                            Inet6Address.getByAddress(
                                    "mapped.example",
                                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1},
                                    (java.net.NetworkInterface) null)
                        });
        DestinationGuard withDns = new DestinationGuard(List.of(), host -> {
            InetAddress[] found = dns.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        });

        assertThat(refusal(withDns, "https://mixed.example/hook"))
                .isEqualTo("destination mixed.example (10.0.0.7) is a private address; allow it with "
                        + "WEBHOOK_ALLOWED_DESTINATIONS");
        assertThat(withDns.check(URI.create("https://public.example/hook"))).isInstanceOf(Verdict.Allowed.class);
        assertThat(refusal(withDns, "https://mapped.example/"))
                .contains("is a loopback address (127.0.0.1 embedded in IPv6)");
        assertThat(withDns.check(URI.create("https://nowhere.example/")))
                .isEqualTo(new Verdict.Unresolved("host nowhere.example does not resolve"));
    }
}
