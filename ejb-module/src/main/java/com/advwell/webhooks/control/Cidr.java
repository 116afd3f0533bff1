package com.advwell.webhooks.control;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code ::1/128}, parsed without any DNS lookup.
 */
public record Cidr(InetAddress network, int prefixLength) {

    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be between 0 and " + bits);
        }
    }

    /**
     * Parses {@code address/prefix}; a bare address is one host. Host bits must be zero, so that a typo such as
     * {@code 10.1.0.0/8} is reported instead of silently allowing all of 10/8.
     */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        InetAddress network = literal(address);
        int bits = network.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' has no numeric prefix length");
            }
        }
        Cidr cidr = new Cidr(network, prefix);
        if (!network.equals(cidr.firstAddress())) {
            throw new IllegalArgumentException("'" + s + "' has host bits set; did you mean "
                    + cidr.firstAddress().getHostAddress() + "/" + prefix + "?");
        }
        return cidr;
    }

    /** An IP literal, never a host name: a name here would make the allow-list depend on DNS. */
    static InetAddress literal(String address) {
        try {
            if (address.contains(":")) {
                // brackets make the JDK insist on an IPv6 literal instead of falling back to a DNS lookup
                InetAddress parsed = InetAddress.getByName("[" + address + "]");
                if (parsed instanceof Inet4Address) {
                    throw new IllegalArgumentException("write the IPv4-mapped address '" + address + "' as a.b.c.d");
                }
                return parsed;
            }
            if (DOTTED_QUAD.matcher(address).matches()) {
                return InetAddress.getByName(address);
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + address + "' is not an IPv4 (a.b.c.d) or IPv6 address");
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] net = network.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != net[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[fullBytes] & mask) == (net[fullBytes] & mask);
    }

    private InetAddress firstAddress() {
        byte[] bytes = network.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of valid length refused", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
