package dev.wharf.ftp.impl.net;

import dev.wharf.ftp.impl.proxy.HeaderBytes;
import dev.wharf.ftp.impl.settings.ProxyProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Connections as a load balancer on 127.0.0.1 makes them for a client: each comes from the balancer's address and
 * starts with a PROXY header naming the client, then carries the client's bytes. Given to Commons Net, its
 * control and passive data connections both go "through the balancer", like HAProxy forwarding both.
 */
final class BalancerSockets extends SocketFactory {

    static final String BALANCER = "127.0.0.1";

    private final ProxyProtocol version;
    private final String client;

    /** @param client the address the headers name, e.g. 127.0.0.5 */
    BalancerSockets(ProxyProtocol version, String client) {
        this.version = version;
        this.client = client;
    }

    /** The header for a connection from the client's port to a destination. */
    static byte[] header(ProxyProtocol version, InetSocketAddress client, InetSocketAddress destination) {
        return version == ProxyProtocol.V1 ? HeaderBytes.v1(client, destination)
                : HeaderBytes.v2(client, destination);
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                if (!isBound()) {
                    bind(new InetSocketAddress(BALANCER, 0));
                }
                super.connect(endpoint, timeout);
                getOutputStream().write(header(version, new InetSocketAddress(client, getLocalPort()),
                        (InetSocketAddress) endpoint));
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress to) throws IOException {
        Socket s = createSocket();
        s.connect(to, 10_000);
        return s;
    }
}
