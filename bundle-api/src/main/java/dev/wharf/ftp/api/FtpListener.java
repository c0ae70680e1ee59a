package dev.wharf.ftp.api;

import java.net.InetSocketAddress;
import java.util.List;

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

    /**
     * The sessions open on this listener now, also those that still finish after a rebind (a changed port, say)
     * within the listener's {@code stop.grace}. Each is a live view: ask it again for newer figures.
     *
     * @since 1.2
     */
    List<FtpSessionInfo> sessions();

    /**
     * Ends one session: its client gets {@code 421}, a running transfer is aborted (an upload that replaces or
     * creates a file leaves nothing under the file's name) and the connection is closed.
     *
     * @param sessionId a session's {@link FtpSessionInfo#id()}
     * @return whether this listener had that session
     * @since 1.2
     */
    boolean endSession(String sessionId);

    /**
     * Ends every session of this listener logged in as the user, as {@link #endSession(String)} does.
     *
     * @return how many sessions were ended
     * @since 1.2
     */
    int endSessionsOf(String userName);

    /**
     * Whether the listener drains ({@code drain = true}): it refuses new connections and logins with {@code 421},
     * while the sessions logged in already go on.
     *
     * @since 1.2
     */
    boolean draining();
}
