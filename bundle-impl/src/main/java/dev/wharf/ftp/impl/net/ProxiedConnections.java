package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.impl.protocol.FtpSession;
import dev.wharf.ftp.impl.proxy.BadProxyHeader;
import dev.wharf.ftp.impl.proxy.ProxyHeader;
import dev.wharf.ftp.impl.proxy.ProxyHeaderReader;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The accept path of a listener behind a load balancer ({@code proxy.protocol}): a connection must come from a
 * trusted balancer ({@code proxy.trusted}) and start with a PROXY header, which names the real client. Only then is
 * the client admitted by its own address (IP filter, limits per address) and its session run, with that address
 * as the session's address everywhere.
 *
 * <p>The header is read on the connection's own session thread, never on the acceptor, so that a balancer
 * connection that stalls cannot hold up the others; it must arrive whole within {@code handshake.timeout}, and
 * before any TLS (on an implicit listener too: the balancer sends it ahead of the client's bytes).
 *
 * <p>The listener's settings are read once per connection, at its accept: the PROXY protocol keys apply to a
 * running listener (a changed {@code proxy.trusted} or version counts from the next connection).
 */
final class ProxiedConnections {

    private static final Logger LOG = Logger.getLogger(ProxiedConnections.class.getName());

    private final FtpEndpoint endpoint;
    /** Connections whose header is still being read: they count against max.connections and close at stop. */
    private final Set<SocketChannel> awaitingHeader = ConcurrentHashMap.newKeySet();

    ProxiedConnections(FtpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** On the acceptor: refuses anything but a trusted balancer, then reads the header on a session thread. */
    void admit(SocketChannel channel, InetAddress peer) {
        ListenerSettings settings = endpoint.settings();
        if (!settings.proxy().trusts(peer)) {
            endpoint.refusals.refused(Level.WARNING, "untrusted", peer, () -> "listener '" + settings.name()
                    + "': connection from " + peer.getHostAddress() + " closed: not a trusted load balancer "
                    + "(proxy.trusted = " + settings.proxy().trusted() + ")");
            endpoint.closeRefused(channel); // no reply: the port is reachable only through the balancer
            return;
        }
        int max = settings.limits().maxConnections();
        if (max > 0 && endpoint.openSessions() + awaitingHeader.size() >= max) {
            endpoint.refusals.refused(Level.WARNING, "max.connections", peer, () -> "connection through "
                    + peer.getHostAddress() + " refused: max.connections reached");
            endpoint.refuse(channel, "421 Too many connections; try again later.\r\n");
            return;
        }
        awaitingHeader.add(channel);
        Workers.start("wharf-session " + peer.getHostAddress(), () -> serve(channel, peer, settings));
    }

    /** On the session thread: the header, then the client's admission and its session. */
    private void serve(SocketChannel channel, InetAddress peer, ListenerSettings settings) {
        ProxyHeader header;
        try {
            header = ProxyHeaderReader.read(channel.socket(), settings.proxy().protocol(),
                    settings.tls().handshakeTimeoutSeconds() * 1000);
        } catch (BadProxyHeader e) {
            Level level = e.silent() || endpoint.stopped() ? Level.FINE : Level.WARNING;
            endpoint.refusals.refused(level, "bad PROXY header", peer, () -> "listener '" + settings.name()
                    + "': connection from the load balancer " + peer.getHostAddress() + " closed: " + e.getMessage()
                    + " (proxy.protocol = " + settings.proxy().protocol().name().toLowerCase(java.util.Locale.ROOT)
                    + ")");
            endpoint.closeRefused(channel);
            return;
        } catch (IOException e) {
            LOG.fine(() -> "listener '" + settings.name() + "': connection from " + peer.getHostAddress()
                    + " failed before its PROXY header: " + e.getMessage());
            closeQuietly(channel);
            return;
        } finally {
            awaitingHeader.remove(channel);
        }
        try {
            InetSocketAddress client = header.clientOr((InetSocketAddress) channel.getRemoteAddress());
            LOG.fine(() -> "listener '" + settings.name() + "': " + header.kind() + " from " + peer.getHostAddress()
                    + " for " + client);
            FtpSession session = endpoint.openSession(channel, client.getAddress(), header);
            if (session == null) {
                return;
            }
            if (endpoint.stopped()) {
                // The listener stopped while the header was read: this session missed its closing round.
                session.end("421 Service closing: this listener is shutting down.\r\n");
            }
            Thread.currentThread().setName("wharf-session " + client.getAddress().getHostAddress());
            session.run();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "listener '" + settings.name() + "': cannot start a session", e);
            closeQuietly(channel);
        }
    }

    int awaiting() {
        return awaitingHeader.size();
    }

    /** The listener stops: connections still sending their header are closed, which ends their threads. */
    void closeAwaiting() {
        for (SocketChannel channel : awaitingHeader) {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
