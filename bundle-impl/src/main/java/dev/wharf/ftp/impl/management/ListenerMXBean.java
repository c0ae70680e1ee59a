package dev.wharf.ftp.impl.management;

/**
 * One listener in JMX, named {@code dev.wharf:type=Listener,name=<listener name>}: its state, its counters since it
 * was configured (they survive a rebind, not a bundle restart) and the operations an operator needs. Numbers only,
 * so that a JMX-to-Prometheus bridge exports every attribute as it is.
 */
public interface ListenerMXBean {

    String getName();

    /** The bound port; 0 while the listener does not accept connections. */
    int getPort();

    boolean isTlsAvailable();

    boolean isDraining();

    /** Why the listener does not serve now, or an empty text while it does. */
    String getProblem();

    int getSessionsOpen();

    long getConnectionsAccepted();

    /**
     * Connections refused before their session began: allow/deny, limits, drain, the defender's bans, TLS that
     * cannot be used, and behind a balancer a connection from elsewhere or with a bad PROXY header.
     */
    long getConnectionsRefused();

    long getLoginsSucceeded();

    long getLoginsFailed();

    long getLoginsFailedUnknownUser();

    long getLoginsFailedWrongPassword();

    long getLoginsFailedDisabled();

    long getLoginsFailedTlsRequired();

    long getLoginsFailedCertificate();

    long getLoginsFailedLimits();

    long getLoginsFailedHome();

    long getLoginsFailedHook();

    /** Refused by the user's own allow/deny lists. */
    long getLoginsFailedAddress();

    long getLoginsFailedBusy();

    /** File bytes received by uploads (also of those that did not complete). */
    long getBytesIn();

    /** File bytes sent by downloads (also of those that did not complete). */
    long getBytesOut();

    long getTransfersCompleted();

    long getTransfersFailed();

    long getTransfersAborted();

    long getTlsHandshakesFailed();

    /** The open sessions, one line each: id, user, address, idle seconds, the running transfer. */
    String[] getSessions();

    /**
     * Ends a session: the client gets 421 and its transfer is aborted.
     *
     * @return whether the listener had that session
     */
    boolean kick(String sessionId);

    /**
     * Ends every session of the user on this listener.
     *
     * @return how many were ended
     */
    int kickUser(String userName);
}
