package dev.wharf.ftp.api;

import java.net.InetSocketAddress;

/**
 * One listening FTP endpoint, published for every {@code dev.wharf.ftp.listener} configuration.
 * The service properties carry the configuration (among them {@code name}).
 */
@org.osgi.annotation.versioning.ProviderType
public interface FtpListener {

    /** The configured name of this listener. */
    String name();

    /**
     * The address the listener is bound to, with the real port (useful when the configured port is 0);
     * {@code null} while it is not accepting connections, e.g. while it waits for a TLS configuration it needs.
     */
    InetSocketAddress boundAddress();

    /** Whether this listener can offer TLS right now (an SSL configuration is bound). */
    boolean tlsAvailable();

    /** The number of control connections currently open on this listener. */
    int openSessions();

    /**
     * Why this listener does not serve clients right now (its port cannot be bound, its configuration has a bad
     * value, the TLS configuration it needs is missing or cannot be used), in one line; {@code null} while it
     * serves.
     *
     * @since 1.1
     */
    String problem();
}
