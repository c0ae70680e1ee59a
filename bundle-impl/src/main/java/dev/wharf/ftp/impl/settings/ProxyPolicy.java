package dev.wharf.ftp.impl.settings;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A listener behind a load balancer that speaks the PROXY protocol: every control connection must come from a
 * trusted balancer and start with a header of the configured version, which names the real client. Passive data
 * connections from a trusted balancer start with one too; others come straight from the client.
 *
 * @param protocol the header version, or {@link ProxyProtocol#NONE}
 * @param trusted the balancers' addresses; never empty when a protocol is set
 */
public record ProxyPolicy(ProxyProtocol protocol, AddressBlocks trusted) {

    public static final ProxyPolicy NONE = new ProxyPolicy(ProxyProtocol.NONE, AddressBlocks.NONE);

    public ProxyPolicy {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(trusted, "trusted");
        if (protocol != ProxyProtocol.NONE && trusted.isEmpty()) {
            throw new IllegalArgumentException("the PROXY protocol needs the balancers' addresses (proxy.trusted)");
        }
    }

    public boolean enabled() {
        return protocol != ProxyProtocol.NONE;
    }

    /** Whether a connection from this address is a balancer's, which starts with a header. */
    public boolean trusts(InetAddress address) {
        return enabled() && trusted.contains(address);
    }
}
