package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.impl.tls.TlsSockets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The control connection: reads command lines and writes replies, first in the clear and, after AUTH or on an
 * implicit listener, over TLS on the same socket. Replies may come from the session worker and from a transfer
 * worker at once; each is written whole and flushed once.
 */
public final class ControlChannel implements Control {

    private final SocketChannel channel;
    /** The client and the address it connected to: the connection's own ends, or what a PROXY header said. */
    private final InetSocketAddress client;
    private final InetSocketAddress clientFacing;
    private Socket socket;
    private SSLSocket tls;
    private LineReader reader;
    private OutputStream out;

    public ControlChannel(SocketChannel channel) throws IOException {
        this(channel, (InetSocketAddress) channel.socket().getRemoteSocketAddress(),
                (InetSocketAddress) channel.socket().getLocalSocketAddress());
    }

    /**
     * A connection through a load balancer, whose PROXY header named the client: from here on the client's
     * address is the session's address everywhere (limits, logs, the data connection check, STAT).
     *
     * @param client the real client
     * @param clientFacing the address the client connected to (the balancer's)
     */
    public ControlChannel(SocketChannel channel, InetSocketAddress client, InetSocketAddress clientFacing)
            throws IOException {
        this.channel = channel;
        this.client = client;
        this.clientFacing = clientFacing;
        this.socket = channel.socket();
        this.reader = new LineReader(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** @return a line, or null when the client closed the connection */
    @Override
    public String readLine() throws IOException, LineReader.LineTooLongException {
        return reader.readLine();
    }

    /** Since when a command line has been incomplete (System.nanoTime()), or 0; see {@link LineReader}. */
    @Override
    public long partialLineSince() {
        return reader.partialLineSince();
    }

    @Override
    public synchronized void send(String reply) throws IOException {
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Switches the connection to TLS and completes the handshake. Bytes the line reader had already read past
     * the AUTH command belong to the handshake and are handed on.
     */
    @Override
    public void startTls(TlsSettings settings, int handshakeTimeoutMillis) throws IOException {
        // SO_TIMEOUT bounds each read; the whole handshake's deadline is the session's (see FtpSession).
        SSLSocket ssl = TlsSockets.serverSide(settings, socket, reader.takeBuffered());
        int idle = socket.getSoTimeout();
        ssl.setSoTimeout(handshakeTimeoutMillis);
        ssl.startHandshake();
        ssl.setSoTimeout(idle);
        synchronized (this) {
            tls = ssl;
            socket = ssl;
            reader = new LineReader(ssl.getInputStream());
            out = ssl.getOutputStream();
        }
    }

    @Override
    public boolean secure() {
        return tls != null;
    }

    /** The control connection's TLS session, or null in the clear. */
    @Override
    public SSLSession tlsSession() {
        return tls == null ? null : tls.getSession();
    }

    /** The client's verified certificate on a TLS control connection, or null. */
    @Override
    public java.security.cert.X509Certificate peerCertificate() {
        if (tls == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = tls.getSession().getPeerCertificates();
            return chain.length > 0 ? (java.security.cert.X509Certificate) chain[0] : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return null;
        }
    }

    @Override
    public void setIdleTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public InetAddress remoteAddress() {
        return client.getAddress();
    }

    @Override
    public int remotePort() {
        return client.getPort();
    }

    @Override
    public InetAddress localAddress() {
        return channel.socket().getLocalAddress();
    }

    @Override
    public InetAddress clientFacingAddress() {
        return clientFacing.getAddress();
    }

    @Override
    public String describe() {
        return client.getAddress().getHostAddress() + ":" + client.getPort();
    }

    /** Closes the connection; with TLS, close_notify is sent first. */
    @Override
    public void close() {
        try {
            if (tls != null) {
                tls.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
