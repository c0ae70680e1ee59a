package dev.wharf.ftp.impl.data;

import dev.wharf.ftp.impl.proxy.BadProxyHeader;
import dev.wharf.ftp.impl.proxy.ProxyHeader;
import dev.wharf.ftp.impl.proxy.ProxyHeaderReader;
import dev.wharf.ftp.impl.settings.ProxyPolicy;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.logging.Logger;

/**
 * A data connection that PASV/EPSV or PORT/EPRT prepared and the next transfer command opens: a listening
 * socket waiting for the client, or an address to connect to.
 */
public abstract class PendingData implements Closeable {

    private static final Logger LOG = Logger.getLogger(PendingData.class.getName());

    /** Opens the TCP connection, or fails with an exception whose message suits a 425 reply. */
    public abstract SocketChannel connect(int timeoutMillis) throws IOException;

    /**
     * @param server the bound passive socket
     * @param client the session's client; with {@code ipCheck}, connections from other addresses
     *        are dropped (and logged) while the real client is still awaited
     */
    public static PendingData passive(ServerSocketChannel server, InetAddress client, boolean ipCheck) {
        return new Passive(server, client, ipCheck, ProxyPolicy.NONE, 0);
    }

    /**
     * A passive connection on a listener behind a load balancer: a connection from a trusted balancer starts with
     * a PROXY header (read here, before any TLS), and the client it names is the one checked; a connection from
     * anywhere else comes straight from a client (data ports open to clients) and is checked as it is.
     *
     * @param headerTimeoutMillis how long a balancer may take to send the header
     */
    public static PendingData passive(ServerSocketChannel server, InetAddress client, boolean ipCheck,
            ProxyPolicy proxy, int headerTimeoutMillis) {
        return new Passive(server, client, ipCheck, proxy, headerTimeoutMillis);
    }

    public static PendingData active(InetSocketAddress target, InetAddress localAddress, int localPort) {
        return new Active(target, localAddress, localPort);
    }

    private static final class Passive extends PendingData {
        private final ServerSocketChannel server;
        private final InetAddress client;
        private final boolean ipCheck;
        private final ProxyPolicy proxy;
        private final int headerTimeoutMillis;

        Passive(ServerSocketChannel server, InetAddress client, boolean ipCheck, ProxyPolicy proxy,
                int headerTimeoutMillis) {
            this.server = server;
            this.client = client;
            this.ipCheck = ipCheck;
            this.proxy = proxy;
            this.headerTimeoutMillis = headerTimeoutMillis;
        }

        @Override
        public SocketChannel connect(int timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            try {
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        throw new SocketTimeoutException("the client did not connect to the passive port in time");
                    }
                    server.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                    Socket accepted = server.socket().accept();
                    InetAddress peer = accepted.getInetAddress();
                    InetAddress from = proxy.trusts(peer) ? proxiedClient(accepted, left) : peer;
                    if (from == null) {
                        continue; // a broken header: logged and closed
                    }
                    if (!ipCheck || sameHost(from, client)) {
                        return accepted.getChannel();
                    }
                    LOG.warning(() -> "data connection from " + from.getHostAddress()
                            + (from.equals(peer) ? "" : " (through " + peer.getHostAddress() + ")")
                            + " refused: the session's client is " + client.getHostAddress()
                            + " (data.ip.check); still waiting for the client");
                    accepted.close();
                }
            } finally {
                server.close();
            }
        }

        /** The client a balancer's PROXY header names (its own address for a header without one), or null. */
        private InetAddress proxiedClient(Socket accepted, long leftMillis) throws IOException {
            try {
                ProxyHeader header = ProxyHeaderReader.read(accepted, proxy.protocol(),
                        (int) Math.min(headerTimeoutMillis, leftMillis));
                return header.clientOr((InetSocketAddress) accepted.getRemoteSocketAddress()).getAddress();
            } catch (BadProxyHeader e) {
                LOG.warning(() -> "data connection from the load balancer " + accepted.getInetAddress()
                        .getHostAddress() + " closed: " + e.getMessage() + " (with proxy.protocol, every connection "
                        + "from proxy.trusted must start with a header: the data ports too)");
                accepted.close();
                return null;
            } catch (IOException e) {
                accepted.close();
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static final class Active extends PendingData {
        private final InetSocketAddress target;
        private final InetAddress localAddress;
        private final int localPort;

        Active(InetSocketAddress target, InetAddress localAddress, int localPort) {
            this.target = target;
            this.localAddress = localAddress;
            this.localPort = localPort;
        }

        @Override
        public SocketChannel connect(int timeoutMillis) throws IOException {
            SocketChannel channel = SocketChannel.open();
            try {
                if (localPort != 0) {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                }
                channel.bind(new InetSocketAddress(localAddress, localPort));
                channel.socket().connect(target, timeoutMillis);
                return channel;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void close() {
            // nothing is held until connect
        }
    }

    /** Exact address equality: loopback aliases such as 127.0.0.2 are other hosts too. */
    public static boolean sameHost(InetAddress a, InetAddress b) {
        return a.equals(b);
    }
}
