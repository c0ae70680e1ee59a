package dev.wharf.ftp.impl.settings;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a PASV reply announces, by the client's network ({@code passive.external.address}): entries
 * {@code CIDR=address} for clients in that network, tried in order, and at most one bare {@code address} for every
 * other client, e.g. {@code 10.0.0.0/8=10.0.0.5, 192.168.0.0/16=192.168.1.5, 203.0.113.10}. An address is a
 * literal IP or a DNS name (looked up at each PASV, for dynamic addresses). Without a matching entry the server
 * announces the address the client connected to.
 */
public final class PassiveAddresses {

    public static final PassiveAddresses NONE = new PassiveAddresses(List.of(), null);

    private record ForNetwork(AddressBlocks.Block network, String address) {
    }

    private final List<ForNetwork> overrides;
    private final String fallback;

    private PassiveAddresses(List<ForNetwork> overrides, String fallback) {
        this.overrides = overrides;
        this.fallback = fallback;
    }

    /** @throws IllegalArgumentException naming the entry that does not fit */
    public static PassiveAddresses parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<ForNetwork> overrides = new ArrayList<>();
        String fallback = null;
        for (String entry : text.split("[,;\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                if (fallback != null) {
                    throw new IllegalArgumentException("two addresses for every client ('" + fallback + "' and '"
                            + entry + "'); write the others as CIDR=address");
                }
                fallback = address(entry, entry);
            } else {
                overrides.add(new ForNetwork(AddressBlocks.Block.parse(entry.substring(0, eq)),
                        address(entry.substring(eq + 1), entry)));
            }
        }
        return new PassiveAddresses(List.copyOf(overrides), fallback);
    }

    private static String address(String text, String entry) {
        if (!text.matches("[0-9A-Za-z.:-]+") || text.startsWith("-") || text.startsWith(".")) {
            throw new IllegalArgumentException("'" + entry + "' does not end in an IP address or host name");
        }
        return text;
    }

    /** The address (literal or name) to announce to this client, or null for the one it connected to. */
    public String forClient(InetAddress client) {
        for (ForNetwork o : overrides) {
            if (o.network().contains(client)) {
                return o.address();
            }
        }
        return fallback;
    }
}
