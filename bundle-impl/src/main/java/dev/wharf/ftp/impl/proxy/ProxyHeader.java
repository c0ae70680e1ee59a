package dev.wharf.ftp.impl.proxy;

import java.net.InetSocketAddress;

/**
 * What a PROXY protocol header said about a connection: the real client and the address it connected to, or no
 * addresses at all (a v2 {@code LOCAL} header, which the balancer sends for its own health checks; a v1
 * {@code UNKNOWN} or a v2 header for a family other than TCP over IP), in which case the connection's own
 * addresses count, as the specification requires.
 *
 * @param source the client, or null when the header carries no addresses
 * @param destination the address the client connected to (the balancer's), or null likewise
 * @param kind what the header was, for log lines ({@code v2 PROXY TCP4}, {@code v2 LOCAL}, {@code v1 UNKNOWN})
 */
public record ProxyHeader(InetSocketAddress source, InetSocketAddress destination, String kind) {

    static ProxyHeader withoutAddresses(String kind) {
        return new ProxyHeader(null, null, kind);
    }

    public boolean hasAddresses() {
        return source != null;
    }

    /** The client: the header's source, or the connection's own peer when the header names none. */
    public InetSocketAddress clientOr(InetSocketAddress connectionPeer) {
        return source != null ? source : connectionPeer;
    }

    /** The address the client connected to: the header's destination, or the connection's own local address. */
    public InetSocketAddress destinationOr(InetSocketAddress connectionLocal) {
        return destination != null ? destination : connectionLocal;
    }
}
