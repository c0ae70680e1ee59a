package dev.wharf.ftp.impl.settings;

import java.net.InetAddress;

/**
 * Connect-time address check from {@code allow} and {@code deny} CIDR lists: an address in {@code deny} is
 * refused; when {@code allow} is not empty, only addresses in it are accepted.
 */
public final class IpFilter {

    public static final IpFilter ALLOW_ALL = new IpFilter(AddressBlocks.NONE, AddressBlocks.NONE);

    private final AddressBlocks allow;
    private final AddressBlocks deny;

    private IpFilter(AddressBlocks allow, AddressBlocks deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /** @throws IllegalArgumentException naming the entry that is not an address or CIDR block */
    public static IpFilter parse(String allow, String deny) {
        return new IpFilter(AddressBlocks.parse(allow), AddressBlocks.parse(deny));
    }

    public boolean accepts(InetAddress address) {
        return !deny.contains(address) && (allow.isEmpty() || allow.contains(address));
    }
}
