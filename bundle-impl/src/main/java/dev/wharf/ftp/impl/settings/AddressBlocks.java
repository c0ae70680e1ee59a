package dev.wharf.ftp.impl.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of address blocks such as {@code 10.0.0.0/8, ::1/128, 192.0.2.7} (a bare address is a /32 or /128),
 * separated by commas, semicolons or spaces: the form of {@code allow}, {@code deny} and {@code proxy.trusted}.
 * Only literal addresses: a host name would make a security check depend on DNS.
 */
public final class AddressBlocks {

    public static final AddressBlocks NONE = new AddressBlocks(List.of());

    private final List<Block> blocks;

    private AddressBlocks(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** @throws IllegalArgumentException naming the entry that is not an address or CIDR block */
    public static AddressBlocks parse(String text) {
        List<Block> out = new ArrayList<>();
        if (text != null) {
            for (String entry : text.split("[,;\\s]+")) {
                if (!entry.isEmpty()) {
                    out.add(Block.parse(entry));
                }
            }
        }
        return out.isEmpty() ? NONE : new AddressBlocks(List.copyOf(out));
    }

    public boolean contains(InetAddress address) {
        for (Block b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether a block covers a whole address family ({@code 0.0.0.0/0}, {@code ::/0}). */
    public boolean coversAll() {
        for (Block b : blocks) {
            if (b.prefix() == 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        for (Block b : blocks) {
            shown.add(b.text());
        }
        return String.join(", ", shown);
    }

    /** One address block; {@code text} is how the configuration wrote it. */
    record Block(byte[] network, int prefix, String text) {

        static Block parse(String text) {
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
            return new Block(address, prefix, text);
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
