package dev.wharf.ftp.impl.protocol;

import dev.wharf.ftp.api.TlsSettings;
import dev.wharf.ftp.api.UserAccount;
import dev.wharf.ftp.impl.data.PassivePorts;
import java.util.Optional;

/** What a session needs from the listener that accepted it. */
public interface SessionHost {

    ListenerSettings settings();

    /** The TLS settings for the control connection, or null when this listener has no SSL configuration. */
    TlsSettings controlTls();

    /**
     * The TLS settings for data connections when {@code data.ssl.target} gives them their own; null when they
     * inherit the control connection's (the same snapshot, so that data connections can resume its session).
     */
    TlsSettings ownDataTls();

    Optional<UserAccount> authenticate(String user, char[] password);

    /** The account of that name without checking a password (see {@link dev.wharf.ftp.api.UserStore#find}). */
    Optional<UserAccount> find(String user);

    PassivePorts passivePorts();

    /**
     * Records a login against the user's session limits.
     *
     * @return null when admitted, else the reason for refusing it
     */
    String admitLogin(FtpSession session, UserAccount account);

    /** Releases a session's login (REIN): it no longer counts against the user's session limits. */
    void loggedOut(FtpSession session);

    /** Called once when a session ends, whatever the reason: releases everything it held. */
    void sessionEnded(FtpSession session);
}
