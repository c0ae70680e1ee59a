package dev.wharf.ftp.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * What is known about one FTP session (one control connection) at the moment it is asked: handed to hooks and
 * summarised in events. Values change as the session goes on (the user after login, TLS after AUTH).
 */
@org.osgi.annotation.versioning.ProviderType
public interface FtpSessionInfo {

    /** An identifier unique within this server's run, e.g. {@code k3f9-17}. */
    String id();

    /** The name of the listener that accepted the connection. */
    String listenerName();

    /** The client's address and port. */
    InetSocketAddress remoteAddress();

    /** When the connection was accepted. */
    Instant openedAt();

    /** The logged-in user's name, or null before login. */
    String userName();

    /** The control connection's TLS protocol (e.g. {@code TLSv1.3}), or null while it is plain. */
    String tlsProtocol();

    /** The control connection's TLS cipher suite, or null while it is plain. */
    String tlsCipher();

    /**
     * How long the client has sent no command. A session whose transfer runs may be idle on its control connection
     * for as long as the transfer takes; see {@link #transfer()}.
     *
     * @since 1.2
     */
    Duration idleTime();

    /**
     * The transfer running now (its path, direction, bytes so far and rate), or null while none runs.
     *
     * @since 1.2
     */
    FtpTransferInfo transfer();
}
