package dev.wharf.ftp.impl.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Connect-time address check from {@code allow} and {@code deny} CIDR lists: an address in {@code deny} is
 * refused; when {@code allow} is not empty, only addresses in it are accepted.
 */
public final class IpFilter {

    public static final IpFilter ALLOW_ALL = new IpFilter(List.of(), List.of());

    private final List<Cidr> allow;
    private final List<Cidr> deny;

    private IpFilter(List<Cidr> allow, List<Cidr> deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /** @throws IllegalArgumentException naming the entry that is not an address or CIDR block */
    public static IpFilter parse(String allow, String deny) {
        return new IpFilter(parseList(allow), parseList(deny));
    }

    public boolean accepts(InetAddress address) {
        for (Cidr c : deny) {
            if (c.contains(address)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (Cidr c : allow) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an entry of the allow list names the address (never for an empty list): a safe list's question. */
    public boolean allowListed(InetAddress address) {
        for (Cidr c : allow) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<Cidr> parseList(String text) {
        List<Cidr> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String entry : text.split("[,;\\s]+")) {
            if (!entry.isEmpty()) {
                out.add(Cidr.parse(entry));
            }
        }
        return List.copyOf(out);
    }

    /** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a /32 or /128. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress(); // literal only: no DNS for these characters
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
            }
            int max = address.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0 to " + max);
            }
            return new Cidr(address, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
