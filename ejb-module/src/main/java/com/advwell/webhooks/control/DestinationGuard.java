package com.advwell.webhooks.control;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps webhooks away from the replica's own network (SSRF): a URL is refused when any address its host resolves to
 * is loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast or otherwise not public, unless an
 * operator allowed that range with {@code WEBHOOK_ALLOWED_DESTINATIONS}.
 */
public final class DestinationGuard {

    /** Looks up a host's addresses; {@link InetAddress#getAllByName} in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** What the guard decided about one URL. */
    public sealed interface Verdict {
        /** Every address is public or allowed. */
        record Allowed(List<InetAddress> addresses) implements Verdict {}

        /** The URL itself or one of its addresses is not acceptable; retrying will not change that. */
        record Refused(String reason) implements Verdict {}

        /** The host does not resolve now; DNS outages pass, so a delivery may try again. */
        record Unresolved(String reason) implements Verdict {}
    }

    private record Range(Cidr cidr, String kind) {
        Range(String cidr, String kind) {
            this(Cidr.parse(cidr), kind);
        }
    }

    private static final List<Range> FORBIDDEN = List.of(
            new Range("0.0.0.0/8", "an unspecified (this-network) address"),
            new Range("127.0.0.0/8", "a loopback address"),
            new Range("10.0.0.0/8", "a private address"),
            new Range("172.16.0.0/12", "a private address"),
            new Range("192.168.0.0/16", "a private address"),
            new Range("169.254.0.0/16", "a link-local address"),
            new Range("100.64.0.0/10", "a carrier-grade NAT address"),
            new Range("224.0.0.0/4", "a multicast address"),
            new Range("240.0.0.0/4", "a reserved or broadcast address"),
            new Range("::/128", "an unspecified address"),
            new Range("::1/128", "a loopback address"),
            new Range("::/96", "an IPv4-compatible (deprecated) address"),
            new Range("fc00::/7", "a private (unique local) address"),
            new Range("fe80::/10", "a link-local address"),
            new Range("fec0::/10", "a site-local address"),
            new Range("ff00::/8", "a multicast address"));

    /**
     * First 96 bits of IPv6 ranges whose last 32 bits are the IPv4 address a packet ends up at: IPv4-mapped
     * ({@code ::ffff:0:0/96}, which the JDK usually turns into an IPv4 address, but not always) and NAT64
     * ({@code 64:ff9b::/96}).
     */
    private static final List<byte[]> EMBEDDING_IPV4 = List.of(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff},
            new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0});

    /** A host whose last label is a number is an IPv4 address to URL parsers and resolvers (WHATWG URL). */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(?i)(.*\\.)?(\\d+|0x[0-9a-f]*)\\.?");

    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final List<Cidr> allowed;
    private final Resolver resolver;

    public DestinationGuard(List<Cidr> allowed) {
        this(allowed, InetAddress::getAllByName);
    }

    public DestinationGuard(List<Cidr> allowed, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /** What is wrong with the URL's form (scheme, host, user info, port), without any DNS lookup. */
    public static Optional<String> formProblem(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
            return Optional.of("must be an absolute http or https URL"
                    + (scheme.isEmpty() || scheme.equals("http") || scheme.equals("https") ? "" : ", not " + scheme));
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("must not contain user info (send credentials in headers)");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("has no valid host name or IP address");
        }
        if (url.getPort() != -1 && (url.getPort() < 1 || url.getPort() > 65535)) {
            return Optional.of("port must be between 1 and 65535");
        }
        // 2130706433, 0177.0.0.1 or 127.1 mean 127.0.0.1 to some resolvers and something else to others: refuse them
        // rather than guess which reading the connection will use
        if (NUMERIC_LAST_LABEL.matcher(host).matches()
                && !DOTTED_QUAD.matcher(stripDot(host)).matches()) {
            return Optional.of("host " + host + " is an IP address in a non-standard form; write IPv4 as a.b.c.d");
        }
        return Optional.empty();
    }

    /** Checks the URL's form and every address its host resolves to now. */
    public Verdict check(URI url) {
        Optional<String> problem = formProblem(url);
        if (problem.isPresent()) {
            return new Verdict.Refused(problem.get());
        }
        String host = url.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return new Verdict.Unresolved("host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            return new Verdict.Unresolved("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = refusal(address);
            if (kind.isPresent()) {
                String shown = address.getHostAddress();
                String what = shown.equalsIgnoreCase(bare) ? shown : host + " (" + shown + ")";
                return new Verdict.Refused(
                        "destination " + what + " is " + kind.get() + "; allow it with " + WebhookSettings.ALLOWED);
            }
        }
        return new Verdict.Allowed(List.of(addresses));
    }

    /** Why a connection to this address is refused: what kind of address it is, unless public or allowed. */
    Optional<String> refusal(InetAddress address) {
        if (allowed.stream().anyMatch(c -> c.contains(address))) {
            return Optional.empty();
        }
        return forbiddenKind(address);
    }

    /** Why an address is not public, if it is not. */
    static Optional<String> forbiddenKind(InetAddress address) {
        for (Range range : FORBIDDEN) {
            if (range.cidr().contains(address)) {
                return Optional.of(range.kind());
            }
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address
                && EMBEDDING_IPV4.stream().anyMatch(prefix -> Arrays.equals(prefix, Arrays.copyOf(bytes, 12)))) {
            try {
                InetAddress embedded = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                return forbiddenKind(embedded)
                        .map(kind -> kind + " (" + embedded.getHostAddress() + " embedded in IPv6)");
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are always an IPv4 address", e);
            }
        }
        return Optional.empty();
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
