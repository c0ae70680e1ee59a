package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSession;

/**
 * What a session needs from its control connection: command lines in, replies out, TLS on the same connection.
 * {@link ControlChannel} is the socket; tests of command groups can give a session one in memory.
 */
public interface Control {

    /** @return a line, or null when the client closed the connection */
    String readLine() throws IOException, LineReader.LineTooLongException;

    /** Since when (System.nanoTime()) a command line has been incomplete, or 0 between lines. */
    long partialLineSince();

    /** Writes a reply (one or more whole lines) and flushes it. */
    void send(String reply) throws IOException;

    /** Switches the connection to TLS and completes the handshake. */
    void startTls(TlsSettings settings, int handshakeTimeoutMillis) throws IOException;

    boolean secure();

    /** The TLS session, or null in the clear. */
    SSLSession tlsSession();

    /** The client's verified certificate on a TLS connection, or null. */
    X509Certificate peerCertificate();

    void setIdleTimeout(int millis) throws IOException;

    /** The client's address: the peer's, or the one a load balancer's PROXY header named. */
    InetAddress remoteAddress();

    /** The client's port: the peer's, or the one a load balancer's PROXY header named. */
    int remotePort();

    /** This end of the connection: where passive sockets bind and active connections start from. */
    InetAddress localAddress();

    /**
     * The address the client connected to, as the client sees it: the load balancer's when a PROXY header named
     * it, else {@link #localAddress()}. PASV announces it by default, and EPSV's network protocol is its family.
     */
    default InetAddress clientFacingAddress() {
        return localAddress();
    }

    /** The client's address and port, for log lines. */
    String describe();

    /** Closes the connection; with TLS, close_notify is sent first. Safe from any thread, more than once. */
    void close();
}
